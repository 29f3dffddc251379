using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

public class HardNegativeTests
{
    [Fact]
    public void Truth_HasTheThreeHardNegativeGroupsDisjointFromCampaigns()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0);
        SimulationTruth truth = run.Simulator.Truth;
        Assert.Equal([HardNegativeKind.HeavyCoders, HardNegativeKind.PopularPrompt, HardNegativeKind.ServiceKeys], truth.HardNegativeGroups.Keys);
        foreach (var (kind, accounts) in truth.HardNegativeGroups)
        {
            Assert.NotEmpty(accounts);
            Assert.All(accounts, a => Assert.False(truth.IsCampaignAccount(a)));
            Assert.All(accounts, a => Assert.Equal(kind, truth.HardNegativeGroupOf(a)));
            Assert.All(accounts, a => Assert.True(run.CountByAccount.ContainsKey(a)));
        }
        Assert.Equal(truth.CampaignAccounts.Count, truth.Campaigns.Values.Sum(v => v.Count));
    }

    [Fact]
    public void ServiceKeys_RunOneBatchTemplateInBusinessHoursOnWeekdays()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0);
        List<SimulatedExchange> exchanges = run.HardNegatives[HardNegativeKind.ServiceKeys];
        string prefix = PopularPrompts.BatchTemplate[..PopularPrompts.BatchTemplate.IndexOf("{ticket}", StringComparison.Ordinal)];
        Assert.All(exchanges, e => Assert.StartsWith(prefix, e.Prompt, StringComparison.Ordinal));
        // The data varies: almost every ticket is different.
        Assert.True(exchanges.Select(e => e.Prompt).Distinct().Count() >= 0.95 * exchanges.Count);
        TimeSpan tz = TimeSpan.FromMilliseconds(run.Simulator.ServiceTzMs);
        foreach (SimulatedExchange e in exchanges)
        {
            DateTime local = e.Timestamp.UtcDateTime + tz;
            Assert.True(local.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday, $"{local}");
            Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(17.5));
        }
    }

    [Fact]
    public void PopularPrompt_PastedOnceToThreeTimesByEachOfManyUnrelatedUsers()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0, scale: 0.001);
        var pastes = run.HardNegatives[HardNegativeKind.PopularPrompt].Where(e => PopularPrompts.Pasted.Contains(e.Prompt)).GroupBy(e => e.Account).ToDictionary(g => g.Key, g => g.Count());
        IReadOnlyList<string> group = run.Simulator.Truth.HardNegativeGroups[HardNegativeKind.PopularPrompt];
        Assert.Equal(group.Count, pastes.Count);
        Assert.All(pastes.Values, n => Assert.InRange(n, 1, 3));
        Assert.True(group.Count >= 50);
        Assert.DoesNotContain(run.OrdinarySample, p => PopularPrompts.Pasted.Contains(p));
    }

    [Fact]
    public void HeavyCoders_SendManyCodingPromptsWithHumanTiming()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0, scale: 0.001);
        List<SimulatedExchange> exchanges = run.HardNegatives[HardNegativeKind.HeavyCoders];
        IReadOnlyList<string> group = run.Simulator.Truth.HardNegativeGroups[HardNegativeKind.HeavyCoders];
        double perCoder = exchanges.Count / (double)group.Count;
        double perOrdinary = run.OrdinaryExchanges / (double)run.Simulator.Counts.OrdinaryAccounts;
        Assert.True(perCoder >= 10 * perOrdinary, $"{perCoder} vs {perOrdinary}");
        // Human timing: each coder sleeps, so some UTC hours of the day stay empty for every coder.
        foreach (var coder in exchanges.GroupBy(e => e.Account))
        {
            int hours = coder.Select(e => e.Timestamp.UtcDateTime.Hour).Distinct().Count();
            Assert.True(hours <= 20, $"{coder.Key} active in {hours} distinct hours");
        }
        // Coding content: 95 % of their prompts are coding requests or tasks, which name a language, a framework or code.
        string[] markers = ["Python", "Java", "C#", "C++", "Go", "Rust", "Kotlin", "Swift", "Ruby", "PHP", "Scala", "Haskell", "Elixir", "Lua",
            "Julia", "Dart", "Zig", "OCaml", "F#", "Clojure", "Perl", "Bash", " C ", " R ", "React", "Django", "Spring", "ASP.NET", "Rails",
            "Flask", "FastAPI", "Express", "Vue", "Svelte", "Next.js", "Laravel", "Angular", "pandas", "NumPy", "PyTorch", "Kubernetes",
            "Docker", "Terraform", "Entity Framework", "SQLAlchemy", "Tokio", "Gin", "Phoenix", "Unity", "Godot", "Flutter", "Jetpack",
            "code", "function", "script", "error", "`", "SQL", "test", "bug", "interview", "agent", "tool"];
        double coding = exchanges.Count(e => markers.Any(m => e.Prompt.Contains(m, StringComparison.Ordinal))) / (double)exchanges.Count;
        Assert.True(coding >= 0.85, $"{coding:P0}");
    }
}
