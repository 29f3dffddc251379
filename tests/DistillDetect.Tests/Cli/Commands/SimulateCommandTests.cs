using System.Globalization;
using System.IO.Hashing;
using DistillDetect.Cli.Input;
using DistillDetect.Cli.Reports;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Commands;

public sealed class SimulateCommandTests
{
    [Fact]
    public void Simulate_SmallScale_WritesTrafficAndTruthThatTheCliReaders()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "run"); // created by the command
        var r = CliRunner.Run(null, "simulate", "--output", output, "--scale", "0.0005", "--seed", "7", "--evasion", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);

        var options = new SimulationOptions { Seed = 7, Scale = 0.0005, Evasion = 2 };
        SimulationCounts counts = TrafficSimulator.EstimateCounts(options);
        GroundTruth truth = GroundTruth.Load(Path.Combine(output, "truth.json"));
        Assert.Equal(counts.CampaignAccounts, truth.CampaignAccounts.Count);
        Assert.Equal(new TrafficSimulator(options).Truth.CampaignAccounts.Order(StringComparer.Ordinal), truth.CampaignAccounts.Order(StringComparer.Ordinal));
        Assert.NotEmpty(truth.HardNegativeAccounts);

        var errors = new StringWriter();
        var accounts = new HashSet<string>(StringComparer.Ordinal);
        long campaignExchanges = 0;
        using (var reader = new ExchangeReader(File.OpenRead(Path.Combine(output, "traffic.jsonl")),
            ExchangeFields.Account | ExchangeFields.Timestamp | ExchangeFields.Prompt, errors: errors, ownsStream: true))
        {
            while (reader.MoveNext())
            {
                string account = reader.GetAccountString();
                accounts.Add(account);
                campaignExchanges += truth.CampaignAccounts.Contains(account) ? 1 : 0;
            }
            Assert.Equal(0, reader.MalformedLines);
            Assert.Equal(counts.TotalExchanges, reader.RecordsRead);
            Assert.Equal(InputFormat.JsonLines, reader.Format);
        }
        Assert.Equal("", errors.ToString());
        Assert.Equal(counts.CampaignExchanges, campaignExchanges);
        Assert.Equal(counts.TotalAccounts, accounts.Count);

        // The one-line summary names the counts, the files' size and the time.
        string summary = Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"simulate: {counts.TotalExchanges:N0} exchanges, {counts.TotalAccounts:N0} accounts, {counts.CampaignAccounts:N0} campaign accounts (seed 7, scale 0.0005, evasion 2)"),
            summary, StringComparison.Ordinal);
        Assert.Matches(@"traffic\.jsonl \d+\.\d MB, truth\.json \d+\.\d kB, \d+\.\d s\.$", summary);
    }

    [Fact]
    public void Simulate_SameSeed_IdenticalFiles_OtherSeed_DifferentTruth()
    {
        using var dir = new TempDirectory();
        string Run(string name, string seed)
        {
            string output = dir.File(name);
            Assert.Equal(0, CliRunner.Run(null, "simulate", "--output", output, "--scale", "0.0001", "--seed", seed).ExitCode);
            return output;
        }
        string a = Run("a", "11"), b = Run("b", "11"), c = Run("c", "12");
        Assert.Equal(Digest(Path.Combine(a, "traffic.jsonl")), Digest(Path.Combine(b, "traffic.jsonl")));
        Assert.Equal(File.ReadAllText(Path.Combine(a, "truth.json")), File.ReadAllText(Path.Combine(b, "truth.json")));
        Assert.NotEqual(File.ReadAllText(Path.Combine(a, "truth.json")), File.ReadAllText(Path.Combine(c, "truth.json")));
    }

    [Fact]
    public void Simulate_TaskAndLegitFiles_ReplaceTheBuiltInPromptsAndSkippedLinesAreReported()
    {
        using var dir = new TempDirectory();
        string tasks = dir.Write("tasks.jsonl", string.Concat(Enumerable.Range(0, 12).Select(i =>
            $"{{\"id\": {i}, \"prompt\": \"FILETASK-{i}: write a function that solves problem number {i} and explain every step of it.\"}}\n"))
            + "{\"prompt\": null}\nnot json\n");
        string legit = dir.Write("legit.jsonl", string.Concat(Enumerable.Range(0, 8).Select(i => $"{{\"prompt\": \"FILELEGIT-{i}: what should I cook tonight?\"}}\n")));
        string output = dir.File("out");
        var r = CliRunner.Run(null, "simulate", "--output", output, "--scale", "0.0001", "--tasks", tasks, "--legit", legit);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"{tasks}: 2 lines without a string \"prompt\" skipped (lines 13, 14).", r.Stderr, StringComparison.Ordinal);

        GroundTruth truth = GroundTruth.Load(Path.Combine(output, "truth.json"));
        long campaign = 0, campaignWithTask = 0, legitimate = 0, fromLegitFile = 0;
        using var reader = new ExchangeReader(File.OpenRead(Path.Combine(output, "traffic.jsonl")),
            ExchangeFields.Account | ExchangeFields.Prompt, ownsStream: true);
        while (reader.MoveNext())
        {
            if (truth.CampaignAccounts.Contains(reader.GetAccountString()))
            {
                campaign++;
                campaignWithTask += reader.Prompt.Contains("FILETASK-", StringComparison.Ordinal) ? 1 : 0;
            }
            else
            {
                legitimate++;
                fromLegitFile += reader.Prompt.StartsWith("FILELEGIT-", StringComparison.Ordinal) ? 1 : 0;
            }
        }
        Assert.True(campaign > 0);
        Assert.Equal(campaign, campaignWithTask); // evasion 0: every campaign prompt wraps a task from the file
        // Ordinary users (most of the legitimate traffic) draw from the file; service keys and coders have their own text.
        Assert.True(fromLegitFile > legitimate / 2, $"{fromLegitFile} of {legitimate} legitimate prompts from the file");
    }

    [Theory]
    [InlineData(new[] { "--output", "{dir}", "--evasion", "4" }, "'--evasion'")]
    [InlineData(new[] { "--output", "{dir}", "--evasion", "-1" }, "'--evasion'")]
    [InlineData(new[] { "--output", "{dir}", "--scale", "-0.5" }, "'--scale'")]
    [InlineData(new[] { "--output", "{dir}", "--scale", "0" }, "'--scale'")]
    [InlineData(new[] { "--output", "{dir}", "--scale", "21" }, "'--scale'")]
    [InlineData(new[] { "--output", "{dir}", "--scale", "NaN" }, "'--scale'")]
    [InlineData(new[] { "--output", "{dir}", "--seed", "1.5" }, "'--seed'")]
    [InlineData(new[] { "--output", "{dir}", "--tasks", "-" }, "'--tasks'")]
    [InlineData(new[] { "--output", "{dir}", "--format", "csv" }, "'--format'")]
    [InlineData(new[] { "--output", "{dir}", "extra" }, "'extra'")]
    [InlineData(new[] { "--scale", "0.001" }, "'--output DIR'")]
    [InlineData(new[] { "--output" }, "'--output'")]
    public void Simulate_BadOptions_Exit2NamingTheOptionAndWriteNothing(string[] options, string named)
    {
        using var dir = new TempDirectory();
        string output = dir.File("never");
        var r = CliRunner.Run(null, ["simulate", .. options.Select(o => o == "{dir}" ? output : o)]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: distilldetect simulate --output DIR", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Simulate_MissingTaskFile_Exit1WithOneLine()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "simulate", "--output", dir.File("o"), "--tasks", dir.File("absent.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("file not found", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Simulate_Help_DescribesEveryOption()
    {
        var r = CliRunner.Run(null, "simulate", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string option in new[] { "--output", "--seed", "--scale", "--evasion", "--tasks", "--legit", SimulationOptions.DefaultScale.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
        }
    }

    private static ulong Digest(string path)
    {
        var hash = new XxHash64();
        using FileStream file = File.OpenRead(path);
        hash.Append(file);
        return hash.GetCurrentHashAsUInt64();
    }
}
