using System.Text;

namespace DistillDetect.Cli.Simulation;

/// <summary>
/// The disguises a campaign puts on its prompts. Level 1: homoglyphs, zero-width characters and whitespace
/// noise over the whole prompt. Level 2 adds synonym substitutions and light reordering inside the wrapper and
/// random openers. (Level 3's paraphrases, mixing and human timing live in the simulator.) All draws come from
/// the caller's <see cref="SplitMix64"/>, so the noise is deterministic. Stateless and thread-safe.
/// </summary>
internal static class EvasionNoise
{
    /// <summary>Zero-width characters inserted at level 1 and above.</summary>
    public static readonly char[] ZeroWidth = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];

    private const string HomoglyphSources = "aceopxyisjABCEHKMOPTX";
    private const string HomoglyphTargets = "\u0430\u0441\u0435\u043E\u0440\u0445\u0443\u0456\u0455\u0458\u0410\u0412\u0421\u0415\u041D\u041A\u041C\u041E\u0420\u0422\u0425";

    /// <summary>Openers prepended at level 2 and above.</summary>
    public static readonly string[] Openers =
    [
        "Hi!", "Hello!", "Hey,", "Quick question:", "Hi there.", "Good morning!", "Please help:", "Can you help me out?",
        "Thanks in advance!", "Hey there,", "Hello again.", "I need some help.", "OK, next one:", "Another one:", "Here's one for you:",
        "Hope you're well!", "Greetings.", "Hi, hope your day is going well.", "Got a task for you.", "Help needed:", "Yo!", "Good evening.",
    ];

    // Multi-word phrases first (applied before single words so "step by step" is not split up).
    private static readonly (string Phrase, string[] Alternatives)[] s_phrases =
    [
        ("step by step", ["step-by-step", "one step at a time", "stepwise", "in sequence", "gradually"]),
        ("chain of thought", ["train of thought", "line of reasoning", "thought process"]),
        ("in detail", ["in depth", "thoroughly", "at length"]),
        ("then give", ["then provide", "and then present", "afterwards give"]),
        ("edge cases", ["corner cases", "boundary cases", "special cases"]),
    ];

    private static readonly Dictionary<string, string[]> s_words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["think"] = ["reason", "reflect", "ponder"],
        ["show"] = ["display", "present", "reveal", "lay out"],
        ["full"] = ["complete", "entire", "whole"],
        ["complete"] = ["full", "finished", "entire"],
        ["reasoning"] = ["thinking", "thought process", "logic", "rationale"],
        ["give"] = ["provide", "present", "supply", "output"],
        ["provide"] = ["give", "supply", "present"],
        ["code"] = ["implementation", "source code", "program"],
        ["explain"] = ["describe", "justify", "clarify"],
        ["final"] = ["last", "resulting", "concluding", "ultimate"],
        ["answer"] = ["response", "reply", "result"],
        ["carefully"] = ["thoroughly", "attentively", "meticulously"],
        ["detailed"] = ["thorough", "in-depth", "comprehensive", "exhaustive"],
        ["write"] = ["produce", "compose", "put down"],
        ["solution"] = ["answer", "resolution", "fix"],
        ["every"] = ["each", "all"],
        ["each"] = ["every"],
        ["first"] = ["initially", "to begin"],
        ["then"] = ["next", "afterwards", "after that"],
        ["before"] = ["prior to"],
        ["problem"] = ["question", "challenge", "exercise"],
        ["task"] = ["assignment", "job", "exercise"],
        ["verify"] = ["check", "confirm", "validate"],
        ["check"] = ["verify", "examine", "test"],
        ["working"] = ["functioning", "runnable", "operational"],
        ["please"] = ["kindly", "pls"],
        ["output"] = ["emit", "produce", "print"],
        ["plan"] = ["outline", "roadmap", "strategy"],
        ["expert"] = ["specialist", "seasoned", "skilled"],
        ["request"] = ["ask", "query"],
        ["finish"] = ["end", "wrap up", "conclude"],
        ["steps"] = ["stages", "phases"],
    };

    /// <summary>Appends <paramref name="text"/> with homoglyphs, zero-width characters and whitespace noise (level 1).</summary>
    /// <param name="text">The clean prompt.</param>
    /// <param name="homoglyphRate">Probability that a letter with a look-alike is swapped for it.</param>
    /// <param name="zeroWidthRate">Probability of inserting a zero-width character after each character.</param>
    /// <param name="whitespaceRate">Probability that a space is doubled, turned into a tab or a non-breaking space.</param>
    /// <param name="rng">The random source.</param>
    /// <param name="output">Receives the noisy text.</param>
    public static void AppendCharacterNoise(string text, double homoglyphRate, double zeroWidthRate, double whitespaceRate, ref SplitMix64 rng, StringBuilder output)
    {
        foreach (char c in text)
        {
            if (c == ' ' && rng.NextDouble() < whitespaceRate)
            {
                output.Append(rng.NextInt(4) switch { 0 => "  ", 1 => "\t", 2 => "\u00A0", _ => "   " });
            }
            else
            {
                int glyph = c < 128 ? HomoglyphSources.IndexOf(c, StringComparison.Ordinal) : -1;
                output.Append(glyph >= 0 && rng.NextDouble() < homoglyphRate ? HomoglyphTargets[glyph] : c);
            }
            if (rng.NextDouble() < zeroWidthRate)
            {
                output.Append(ZeroWidth[rng.NextInt(ZeroWidth.Length)]);
            }
        }
        if (rng.NextDouble() < whitespaceRate * 4)
        {
            output.Append(rng.Chance(0.5) ? " " : "\n");
        }
    }

    /// <summary>Rewrites a wrapper (with its <c>{task}</c> placeholder) with synonym substitutions (level 2).</summary>
    /// <param name="wrapper">The wrapper template text.</param>
    /// <param name="rate">Probability that a replaceable word or phrase is replaced.</param>
    /// <param name="rng">The random source.</param>
    public static string SubstituteSynonyms(string wrapper, double rate, ref SplitMix64 rng)
    {
        foreach (var (phrase, alternatives) in s_phrases)
        {
            int at = wrapper.IndexOf(phrase, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && rng.NextDouble() < rate)
            {
                string replacement = alternatives[rng.NextInt(alternatives.Length)];
                if (char.IsUpper(wrapper[at]))
                {
                    replacement = char.ToUpperInvariant(replacement[0]) + replacement[1..];
                }
                wrapper = string.Concat(wrapper.AsSpan(0, at), replacement, wrapper.AsSpan(at + phrase.Length));
            }
        }
        var lookup = s_words.GetAlternateLookup<ReadOnlySpan<char>>();
        var sb = new StringBuilder(wrapper.Length + 32);
        int i = 0;
        while (i < wrapper.Length)
        {
            if (!char.IsAsciiLetter(wrapper[i]))
            {
                // Keep the placeholder and markup tags intact: a renamed closing tag would no longer match its opening tag.
                int close = wrapper[i] == '{' ? wrapper.IndexOf('}', i) : wrapper[i] == '<' ? wrapper.IndexOf('>', i) : -1;
                if (close > i)
                {
                    sb.Append(wrapper, i, close - i + 1);
                    i = close + 1;
                    continue;
                }
                sb.Append(wrapper[i++]);
                continue;
            }
            int start = i;
            while (i < wrapper.Length && char.IsAsciiLetter(wrapper[i]))
            {
                i++;
            }
            ReadOnlySpan<char> word = wrapper.AsSpan(start, i - start);
            if (lookup.TryGetValue(word, out string[]? alternatives) && rng.NextDouble() < rate)
            {
                string replacement = alternatives[rng.NextInt(alternatives.Length)];
                sb.Append(char.IsUpper(word[0]) ? char.ToUpperInvariant(replacement[0]) : replacement[0]);
                sb.Append(replacement, 1, replacement.Length - 1);
            }
            else
            {
                sb.Append(word);
            }
        }
        return sb.ToString();
    }

    /// <summary>Light reordering of a wrapper (level 2): moves the task (with its label or tags) to the other end, or swaps two adjacent instruction sentences.</summary>
    /// <param name="wrapper">The wrapper template text with its placeholder.</param>
    /// <param name="rng">The random source.</param>
    public static string Reorder(string wrapper, ref SplitMix64 rng)
    {
        int task = wrapper.IndexOf(CampaignWrappers.TaskPlaceholder, StringComparison.Ordinal);
        // The task block: a short label on the task's line ("Problem: ", "<task>") and a closing tag right after it.
        int blockStart = task;
        int lineStart = wrapper.LastIndexOf('\n', Math.Max(task - 1, 0)) + 1;
        if (task - lineStart is > 0 and <= 25)
        {
            blockStart = lineStart;
        }
        int blockEnd = task + CampaignWrappers.TaskPlaceholder.Length;
        if (wrapper.AsSpan(blockEnd).StartsWith("</", StringComparison.Ordinal))
        {
            blockEnd = wrapper.IndexOf('>', blockEnd) + 1;
        }
        string block = wrapper[blockStart..blockEnd];
        string pre = wrapper[..blockStart], post = wrapper[blockEnd..];
        string preTrim = pre.Trim(), postTrim = post.Trim();
        bool instructionsBefore = preTrim.Length >= postTrim.Length;
        if (rng.Chance(0.5))
        {
            return instructionsBefore
                ? block + "\n\n" + preTrim + (postTrim.Length > 0 ? "\n" + postTrim : "")
                : (preTrim.Length > 0 ? preTrim + "\n" : "") + postTrim + "\n\n" + block;
        }
        return instructionsBefore
            ? SwapAdjacentSentences(pre, ref rng) + block + post
            : pre + block + SwapAdjacentSentences(post, ref rng);
    }

    // Pieces end after each ". "; every piece but the last is a whole sentence, so two of those can trade places.
    private static string SwapAdjacentSentences(string text, ref SplitMix64 rng)
    {
        var cuts = new List<int> { 0 };
        int at = 0;
        while ((at = text.IndexOf(". ", at, StringComparison.Ordinal)) >= 0)
        {
            at += 2;
            cuts.Add(at);
        }
        int whole = cuts.Count - 1;
        if (whole < 2)
        {
            return text;
        }
        int k = rng.NextInt(whole - 1);
        return string.Concat(text.AsSpan(0, cuts[k]), text.AsSpan(cuts[k + 1], cuts[k + 2] - cuts[k + 1]),
            text.AsSpan(cuts[k], cuts[k + 1] - cuts[k]), text.AsSpan(cuts[k + 2]));
    }
}
