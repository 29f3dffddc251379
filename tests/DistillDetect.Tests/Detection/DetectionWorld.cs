using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>The synthetic world replayed once through a detector (analysis every 6 simulated hours), shared by tests that only read it.</summary>
internal sealed class DetectionWorld
{
    private static readonly Lazy<DetectionWorld> Shared = new(() => new DetectionWorld(new SyntheticTraffic.Spec(), seed: 11));

    public DetectionWorld(SyntheticTraffic.Spec spec, int seed, DetectionOptions? options = null)
    {
        Traffic = new SyntheticTraffic(seed).Generate(spec, seed + 1);
        Detector = Replay(Traffic, options);
        Report = Detector.Analyze();
        Population = [];
        foreach (SyntheticExchange e in Traffic) Population[e.Account] = e.Population;
    }

    public static DetectionWorld Default => Shared.Value;

    public List<SyntheticExchange> Traffic { get; }

    public DistillationDetector Detector { get; }

    public DetectionReport Report { get; }

    public Dictionary<string, Population> Population { get; }

    public static DistillationDetector Replay(IEnumerable<SyntheticExchange> traffic, DetectionOptions? options = null, DistillationDetector? into = null)
    {
        DistillationDetector detector = into ?? new DistillationDetector(options);
        DateTimeOffset? next = null;
        foreach (SyntheticExchange e in traffic)
        {
            next ??= e.Timestamp + TimeSpan.FromHours(6);
            if (e.Timestamp >= next)
            {
                detector.Analyze();
                while (next <= e.Timestamp) next += TimeSpan.FromHours(6);
            }
            detector.Observe(e.Account, e.Timestamp, e.Prompt);
        }
        return detector;
    }

    public int CountFlagged(DetectionReport report, Population population) =>
        report.Accounts.Count(a => Population[a.Account] == population);

    public int CountAccounts(Population population) => Population.Values.Count(p => p == population);
}
