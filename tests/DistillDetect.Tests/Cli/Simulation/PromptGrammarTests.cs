using System.Text;
using System.Text.RegularExpressions;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

public partial class PromptGrammarTests
{
    private static HashSet<string> Shingles(string text)
    {
        string[] w = text.ToLowerInvariant().Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i + 2 < w.Length; i++)
        {
            set.Add(w[i] + " " + w[i + 1] + " " + w[i + 2]);
        }
        return set;
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1.0;
        }
        int common = 0;
        foreach (string s in a)
        {
            common += b.Contains(s) ? 1 : 0;
        }
        return common / (double)(a.Count + b.Count - common);
    }

    private static List<string> LegitimatePrompts(int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        PromptGrammar g = BuiltInGrammar.Instance;
        var list = new List<string>(n);
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            list.Add(g.Generate(u < 0.2 ? "coding_request" : u < 0.23 ? "agentic_request" : "everyday_request", ref rng));
        }
        return list;
    }

    [Fact]
    public void LegitimateGrammar_TenThousandPrompts_FewDuplicatesAndLowShingleOverlap()
    {
        List<string> prompts = LegitimatePrompts(10_000, 17);
        int duplicates = prompts.Count - prompts.Distinct(StringComparer.Ordinal).Count();
        // Design bound: at most 2 % exact repeats (real traffic has some; more would make unrelated users look templated).
        Assert.True(duplicates <= 200, $"{duplicates} exact duplicates");
        var shingles = prompts.Select(Shingles).ToList();
        var rng = new SplitMix64(99);
        double sum = 0;
        int high = 0;
        const int pairs = 20_000;
        for (int k = 0; k < pairs; k++)
        {
            int i = rng.NextInt(prompts.Count), j = rng.NextInt(prompts.Count - 1);
            j += j >= i ? 1 : 0;
            double jac = Jaccard(shingles[i], shingles[j]);
            sum += jac;
            high += jac >= 0.5 ? 1 : 0;
        }
        Assert.True(sum / pairs < 0.02, $"mean Jaccard {sum / pairs:F4}");
        Assert.True(high <= pairs / 500, $"{high} of {pairs} random pairs are near-duplicates");
    }

    [Fact]
    public void TaskGrammar_CodingAndAgenticTasks_Are100To2000CharactersAndDistinct()
    {
        var rng = new SplitMix64(5);
        PromptGrammar g = BuiltInGrammar.Instance;
        var tasks = new List<string>();
        for (int i = 0; i < 4_000; i++)
        {
            tasks.Add(g.Generate(i % 2 == 0 ? "coding_task" : "agentic_task", ref rng));
        }
        Assert.All(tasks, t => Assert.InRange(t.Length, 100, 2000));
        Assert.True(tasks.Distinct(StringComparer.Ordinal).Count() >= 3_990);
    }

    [Fact]
    public void Grammar_Articles_AnBeforeVowelSoundsOnly()
    {
        List<string> prompts = LegitimatePrompts(5_000, 23);
        var rng = new SplitMix64(3);
        for (int i = 0; i < 2_000; i++)
        {
            prompts.Add(BuiltInGrammar.Instance.Generate(i % 2 == 0 ? "coding_task" : "agentic_task", ref rng));
        }
        int wrong = prompts.Count(p => ArticleBeforeVowel().IsMatch(p));
        Assert.True(wrong <= prompts.Count / 1000, $"{wrong} prompts with 'a' before a vowel");
        var g = new PromptGrammar([new("w", ["apple", "pear", "user", "SQL", "LRU cache", "unicode string"]), new("s", ["{a w}"])]);
        var r = new SplitMix64(1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 200; i++)
        {
            seen.Add(g.Generate("s", ref r));
        }
        Assert.Equal(["a pear", "a unicode string", "a user", "an LRU cache", "an SQL", "an apple"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Grammar_BadSyntaxOrUnknownRule_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => new PromptGrammar([new("a", ["{missing}"])]));
        Assert.Throws<FormatException>(() => new PromptGrammar([new("a", ["[x|y"])]));
        Assert.Throws<FormatException>(() => new PromptGrammar([new("a", ["x]"])]));
        Assert.Throws<FormatException>(() => new PromptGrammar([new("a", ["{#9-1}"])]));
        Assert.Throws<FormatException>(() => new PromptGrammar([new("a", ["x"]), new("a", ["y"])]));
        Assert.Throws<FormatException>(() => new PromptGrammar([new("a", ["[?x|y]"])]));
    }

    [Fact]
    public void Grammar_ChoicesOptionalsNumbersEscapesAndTidy_BehaveAsDocumented()
    {
        var g = new PromptGrammar([new("r", ["{^w} [b|c] [?opt] {#3-5} \\{lit\\} end  "]), new("w", ["word"])]);
        var rng = new SplitMix64(8);
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 300; i++)
        {
            outputs.Add(g.Generate("r", ref rng));
        }
        // 2 choices x 2 optional x 3 numbers = 12 outputs, all tidy (no double or trailing spaces).
        Assert.Equal(12, outputs.Count);
        Assert.All(outputs, o => Assert.Matches(@"^Word [bc] (opt )?[345] \{lit\} end$", o));
        var sb = new StringBuilder("x:  a  b \n    indented  \n");
        PromptGrammar.Tidy(sb, 2);
        Assert.Equal("x:a b\n    indented", sb.ToString());
    }

    [GeneratedRegex(@"\ba [aeioAEIO][a-z]")]
    private static partial Regex ArticleBeforeVowel();
}
