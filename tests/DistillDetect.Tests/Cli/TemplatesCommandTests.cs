using System.Text;
using System.Text.Json;
using DistillDetect.Tests.Fingerprints;

namespace DistillDetect.Tests.Cli;

public sealed class TemplatesCommandTests
{
    private static string Jsonl(IEnumerable<(string Account, string Prompt)> rows)
    {
        var sb = new StringBuilder();
        foreach ((string account, string prompt) in rows)
        {
            sb.Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["account"] = account, ["timestamp"] = "2026-01-01T00:00:00Z", ["prompt"] = prompt })).Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public void Run_WrappedPromptsFromThreeAccounts_OneTemplateWithAccountsAndAssignments()
    {
        var random = new Random(1);
        var rows = new List<(string, string)>();
        for (int i = 0; i < 30; i++) rows.Add(($"acct-{i % 3}", TemplateCorpus.Wrap(0, TemplateCorpus.RandomTask(random, 30), random, synonym: false)));
        rows.Add(("solo", "What is the capital of France, and why did it become the capital?"));
        string input = Jsonl(rows) + "{broken\n";
        using var dir = new TempDirectory();
        string inputPath = dir.Write("in.jsonl", input);
        string output = dir.File("templates.json");
        string assignments = dir.File("assignments.jsonl");

        var result = CliRunner.Run(null, "templates", inputPath, "--output", output, "--assignments", assignments, "--threshold", "0.6");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("line 32", result.Stderr, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        JsonElement[] templates = doc.RootElement.GetProperty("templates").EnumerateArray().ToArray();
        Assert.Equal(2, templates.Length);
        Assert.Equal(30, templates[0].GetProperty("count").GetInt64());
        Assert.Equal(3, templates[0].GetProperty("accounts").GetInt32());
        Assert.StartsWith("You are an expert software engineer.", templates[0].GetProperty("example").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, templates[1].GetProperty("count").GetInt64());
        Assert.Equal(1, templates[1].GetProperty("accounts").GetInt32());

        string[] lines = File.ReadAllLines(assignments);
        Assert.Equal(31, lines.Length);
        string wrapperId = templates[0].GetProperty("id").GetString()!;
        for (int i = 0; i < 31; i++)
        {
            using var a = JsonDocument.Parse(lines[i]);
            Assert.Equal(i + 1, a.RootElement.GetProperty("line").GetInt64());
            Assert.Equal(i < 30 ? wrapperId : templates[1].GetProperty("id").GetString(), a.RootElement.GetProperty("template").GetString());
        }
    }

    [Fact]
    public void Run_StdinWithoutAccounts_AccountsZeroAndSortedByCount()
    {
        string input = "{\"prompt\": \"Translate this into French: the cat\"}\n{\"prompt\": \"A lone question about volcanoes and their eruptions\"}\n" +
                       "{\"prompt\": \"Translate this into French: my house\"}\n";
        var result = CliRunner.Run(input, "templates", "-");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        JsonElement[] templates = doc.RootElement.GetProperty("templates").EnumerateArray().ToArray();
        Assert.Equal([2L, 1L], templates.Select(t => t.GetProperty("count").GetInt64()));
        Assert.All(templates, t => Assert.Equal(0, t.GetProperty("accounts").GetInt32()));
    }

    [Fact]
    public void Run_Csv_GroupsTemplates()
    {
        using var dir = new TempDirectory();
        var sb = new StringBuilder("account,prompt\n");
        var random = new Random(2);
        for (int i = 0; i < 10; i++)
        {
            string prompt = TemplateCorpus.Wrap(1, TemplateCorpus.RandomTask(random, 20), random, synonym: false);
            sb.Append('u').Append(i).Append(",\"").Append(prompt.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"\n");
        }
        string path = dir.Write("in.csv", sb.ToString());
        var result = CliRunner.Run(null, "templates", path);
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        JsonElement top = doc.RootElement.GetProperty("templates")[0];
        Assert.Equal(10, top.GetProperty("count").GetInt64());
        Assert.Equal(10, top.GetProperty("accounts").GetInt32());
    }

    [Fact]
    public void Run_EmptyInput_EmptyTemplateList()
    {
        var result = CliRunner.Run("", "templates", "-");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("templates").GetArrayLength());
    }

    [Theory]
    [InlineData("--threshold", "0")]
    [InlineData("--threshold", "1.5")]
    [InlineData("--threshold", "x")]
    public void Run_BadThreshold_UsageError(string option, string value)
    {
        var result = CliRunner.Run("", "templates", "-", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--threshold", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingInputFile_RuntimeErrorWithoutStackTrace()
    {
        var result = CliRunner.Run(null, "templates", "/nonexistent/dir/input.jsonl");
        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
