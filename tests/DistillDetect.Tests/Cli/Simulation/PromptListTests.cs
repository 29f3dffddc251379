using System.IO.Compression;
using System.Text;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

public class PromptListTests
{
    [Fact]
    public void Enumerate_TaskAndLegitLists_ReplaceTheBuiltInGrammars()
    {
        string[] tasks = [.. Enumerable.Range(0, 40).Select(i => $"LISTTASK-{i}: implement the thing number {i} with enough words to look like a real task description of decent length.")];
        string[] legit = [.. Enumerable.Range(0, 25).Select(i => $"LISTLEGIT-{i}: how do I do everyday thing {i}?")];
        var options = new SimulationOptions { Seed = 3, Scale = 0.0003, TaskPrompts = tasks, LegitPrompts = legit };
        SimulationRun run = SimulationRun.Get(options, "lists");
        var campaignTasks = tasks.Where((_, i) => i % 4 != 3).ToArray();
        var heavyTasks = tasks.Where((_, i) => i % 4 == 3).ToHashSet(StringComparer.Ordinal);
        Assert.All(run.Campaign, e => Assert.Contains(campaignTasks, t => e.Prompt.Contains(t, StringComparison.Ordinal)));
        Assert.All(run.HardNegatives[HardNegativeKind.HeavyCoders], e => Assert.Contains(e.Prompt, heavyTasks));
        Assert.All(run.OrdinarySample, p => Assert.Contains(p, legit));
        // Hard negatives with fixed text keep it: the batch template and the pasted prompt.
        Assert.All(run.HardNegatives[HardNegativeKind.ServiceKeys], e => Assert.StartsWith("Summarize the following support ticket", e.Prompt, StringComparison.Ordinal));
        Assert.All(run.HardNegatives[HardNegativeKind.PopularPrompt], e => Assert.True(legit.Contains(e.Prompt) || PopularPrompts.Pasted.Contains(e.Prompt)));
        // Different tasks are actually used, not only the first.
        Assert.True(run.Campaign.Select(e => campaignTasks.First(t => e.Prompt.Contains(t, StringComparison.Ordinal))).Distinct().Count() >= 20);
    }

    [Fact]
    public void Read_JsonLines_SkipsUnusableLinesAndReportsTheirNumbers()
    {
        string text = "{\"prompt\": \"first\"}\n\nnot json\n{\"prompt\": null}\n[1,2]\n{\"id\": 3}\n{\"prompt\": \"second \\u00e9\", \"id\": 9}\n";
        var skipped = new List<long>();
        List<string> prompts = PromptListReader.Read(new StringReader(text), skipped);
        Assert.Equal(["first", "second \u00e9"], prompts);
        Assert.Equal([3L, 4L, 5L, 6L], skipped);
    }

    [Fact]
    public void Read_GzipFile_DecompressesAndEmptyFileThrows()
    {
        string dir = Directory.CreateTempSubdirectory("distilldetect-list-").FullName;
        try
        {
            string gz = Path.Combine(dir, "p.jsonl.gz");
            using (var file = File.Create(gz))
            using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            {
                zip.Write(Encoding.UTF8.GetBytes("{\"prompt\":\"a\"}\n{\"prompt\":\"b\"}\n"));
            }
            Assert.Equal(["a", "b"], PromptListReader.Read(gz));
            string empty = Path.Combine(dir, "e.jsonl");
            File.WriteAllText(empty, "{\"prompt\": null}\n");
            Assert.Throws<InvalidDataException>(() => PromptListReader.Read(empty));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Read_RealSharedDataFiles_FeedTheSimulator()
    {
        string dir = SharedData.RequireDirectory();
        List<string> tasks = PromptListReader.Read(Path.Combine(dir, "code_humaneval.jsonl"));
        List<string> legit = PromptListReader.Read(Path.Combine(dir, "legit_mtbench_vicuna.jsonl"));
        Assert.Equal(164, tasks.Count);
        Assert.Equal(160, legit.Count);
        var sim = new TrafficSimulator(new SimulationOptions { Seed = 1, Scale = 0.0002, Evasion = 1, TaskPrompts = tasks, LegitPrompts = legit });
        var legitSet = legit.ToHashSet(StringComparer.Ordinal);
        int campaign = 0, fromLegit = 0;
        foreach (SimulatedExchange e in sim.Take(20_000))
        {
            campaign += sim.Truth.IsCampaignAccount(e.Account) ? 1 : 0;
            fromLegit += legitSet.Contains(e.Prompt) ? 1 : 0;
        }
        Assert.True(campaign > 0 && fromLegit > 10_000, $"{campaign} campaign, {fromLegit} legitimate-list prompts");
    }
}
