using System.Text;

namespace DistillDetect.Tests.Fingerprints;

/// <summary>
/// Synthetic and real prompt material for the template tests: wrapper templates of our own writing,
/// random tasks from a fixed seed, and the evasions a campaign uses to disguise copies.
/// </summary>
internal static class TemplateCorpus
{
    /// <summary>Five wrappers, 10 to 40 words around the task ({0}), written for these tests.</summary>
    public static readonly (string Prefix, string Suffix)[] Wrappers =
    [
        ("You are an expert software engineer. Read the task below carefully and reason about it step by step before you write anything.\n\nTask:\n",
         "\n\nReturn the complete, runnable solution in a single code block, followed by a short explanation of its time complexity."),
        ("### Instruction\nSolve the following programming problem. Think through the edge cases first, then write clean and well documented code.\n\n",
         "\n\n### Response\nLet us work through this carefully, one step at a time."),
        ("I am collecting high quality reference answers for a training set. For the problem that follows, show your full chain of reasoning and then the final program.\n\n",
         "\n\nBe thorough: include tests for the examples and explain every design decision you make."),
        ("",
         "\n\nPlease answer with detailed reasoning first, then give the final Python code only, with no extra commentary after it."),
        ("Act as a senior Python developer and solve this problem completely, explaining your approach as you go:\n",
         ""),
    ];

    /// <summary>Short openers an evader puts in front of a prompt.</summary>
    public static readonly string[] Openers = ["Hi!", "Hello there.", "Quick question:", "Hey, could you help me?", "Good morning!", "Thanks in advance."];

    private static readonly (string From, string To)[] s_synonyms =
    [
        ("complete", "full"), ("carefully", "attentively"), ("explain", "describe"), ("problem", "exercise"),
        ("solve", "tackle"), ("final", "finished"), ("thorough", "meticulous"), ("clean", "tidy"), ("short", "brief"),
        ("detailed", "extensive"), ("reasoning", "thinking"), ("write", "produce"),
    ];

    private static readonly Dictionary<char, char[]> s_homoglyphs = new()
    {
        ['a'] = ['\u0430', '\u03B1', '\uFF41'], ['e'] = ['\u0435', '\uFF45'], ['o'] = ['\u043E', '\u03BF', '\uFF4F'],
        ['c'] = ['\u0441', '\uFF43'], ['p'] = ['\u0440', '\u03C1'], ['i'] = ['\u0456', '\uFF49'], ['x'] = ['\u0445'],
        ['y'] = ['\u0443'], ['s'] = ['\u0455'], ['T'] = ['\u0422', '\u03A4'], ['A'] = ['\u0410', '\u0391'], ['E'] = ['\u0415'],
    };

    private static readonly string[] s_vocabulary =
    (
        "list string integer array tuple dictionary matrix graph tree node edge path cost sum product maximum minimum " +
        "average median count number digit prime factor divisor element index position window range interval pair " +
        "sort reverse rotate merge split filter find remove insert replace check compute return given first last " +
        "second smallest largest unique duplicate common frequent character word sentence vowel binary decimal " +
        "even odd positive negative sequence series fibonacci square cube root power modulo greatest shortest longest"
    ).Split(' ');

    /// <summary>A random coding-style task of <paramref name="words"/> words, in sentences of 8 to 20 words.</summary>
    public static string RandomTask(Random random, int words)
    {
        var sb = new StringBuilder();
        int inSentence = 0;
        int sentenceLength = random.Next(8, 21);
        for (int i = 0; i < words; i++)
        {
            string w = s_vocabulary[random.Next(s_vocabulary.Length)];
            if (inSentence == 0) w = char.ToUpperInvariant(w[0]) + w[1..];
            sb.Append(w);
            inSentence++;
            if (inSentence == sentenceLength || i == words - 1)
            {
                sb.Append(". ");
                inSentence = 0;
                sentenceLength = random.Next(8, 21);
            }
            else
            {
                sb.Append(' ');
            }
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>The task inside a wrapper, with the wrapper's words lightly edited (synonyms) when asked.</summary>
    public static string Wrap(int wrapper, string task, Random random, bool synonym)
    {
        (string prefix, string suffix) = Wrappers[wrapper];
        if (synonym)
        {
            // One synonym swap in the wrapper (not in the task): the lightest "rewording" an evader does.
            for (int attempt = 0; attempt < 8; attempt++)
            {
                (string from, string to) = s_synonyms[random.Next(s_synonyms.Length)];
                if (prefix.Contains(from, StringComparison.Ordinal)) { prefix = ReplaceFirst(prefix, from, to); break; }
                if (suffix.Contains(from, StringComparison.Ordinal)) { suffix = ReplaceFirst(suffix, from, to); break; }
            }
        }
        return prefix + task + suffix;
    }

    /// <summary>
    /// Applies each evasion with probability <paramref name="p"/>: an opener, homoglyphs (about 10 % of
    /// letters that have one), zero-width characters inside words, and white-space runs.
    /// </summary>
    public static string Disguise(string text, Random random, double p)
    {
        if (random.NextDouble() < p) text = Openers[random.Next(Openers.Length)] + " " + text;
        bool homoglyphs = random.NextDouble() < p;
        bool zeroWidth = random.NextDouble() < p;
        bool whitespace = random.NextDouble() < p;
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (homoglyphs && s_homoglyphs.TryGetValue(c, out char[]? look) && random.NextDouble() < 0.1)
            {
                sb.Append(look[random.Next(look.Length)]);
            }
            else if (whitespace && c == ' ' && random.NextDouble() < 0.15)
            {
                sb.Append(random.Next(3) switch { 0 => "  ", 1 => " \t ", _ => "    " });
            }
            else
            {
                sb.Append(c);
            }
            if (zeroWidth && char.IsLetter(c) && random.NextDouble() < 0.05) sb.Append(random.Next(2) == 0 ? '\u200B' : '\u200D');
        }
        return sb.ToString();
    }

    /// <summary>Edits about one word in <paramref name="wordsPerEdit"/> (drop, duplicate or replace), at most <paramref name="maxEdits"/>.</summary>
    public static string EditWords(string text, Random random, int wordsPerEdit, int maxEdits)
    {
        string[] words = text.Split(' ');
        int edits = Math.Min(maxEdits, words.Length / wordsPerEdit);
        var list = new List<string>(words);
        for (int e = 0; e < edits && list.Count > 2; e++)
        {
            int at = random.Next(list.Count);
            switch (random.Next(3))
            {
                case 0: list.RemoveAt(at); break;
                case 1: list.Insert(at, list[at]); break;
                default: list[at] = s_vocabulary[random.Next(s_vocabulary.Length)]; break;
            }
        }
        return string.Join(' ', list);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        int at = text.IndexOf(from, StringComparison.Ordinal);
        return text[..at] + to + text[(at + from.Length)..];
    }
}
