using System.Diagnostics;
using System.Globalization;
using DistillDetect.Detection;
using DistillDetect.Tests.Detection;

namespace DistillDetect.Tests.Evaluation;

/// <summary>
/// Measurement harness for the README: the detector's memory with <see cref="DetectionOptions.MaxAccounts"/> (1,000,000)
/// accounts tracked and analyzed, the state a full <c>--scale 1</c> run reaches (2.29 million accounts over six weeks).
/// Opt-in (DISTILLDETECT_MEASURE=1): minutes of work and several GB, not a pass/fail test.
/// </summary>
public sealed class DetectorMemoryTests
{
    [Fact]
    public void Detector_AtTheAccountCap_ManagedHeapPerAccount()
    {
        if (Environment.GetEnvironmentVariable("DISTILLDETECT_MEASURE") != "1")
        {
            Assert.Skip("set DISTILLDETECT_MEASURE=1 to measure the detector's memory at its account cap (minutes, several GB).");
        }
        // 1,000,000 accounts (the cap), 6 exchanges each (above the pairing volume, so every account gets its analysis
        // copy and LSH keys), prompts drawn from 50,000 distinct ones (each used by about 120 accounts), then an analysis;
        // then 100,000 new accounts, which make the detector evict the least recently seen, as a long run does, and
        // another analysis. (Cycling over more accounts than the cap would evict every account before its sixth
        // exchange: least-recently-seen eviction's worst case.)
        int cap = DetectionOptions.Default.MaxAccounts;
        const int Rounds = 6, Prompts = 50_000, Newcomers = 100_000;
        var traffic = new SyntheticTraffic(3);
        var random = new Random(3);
        var prompts = new string[Prompts];
        for (int i = 0; i < prompts.Length; i++) prompts[i] = traffic.Text(random, 3);
        var names = new string[cap + Newcomers];
        for (int i = 0; i < names.Length; i++) names[i] = "acct-" + i.ToString("D7", CultureInfo.InvariantCulture);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var detector = new DistillationDetector();
        DateTimeOffset start = SyntheticTraffic.Start;
        var observe = Stopwatch.StartNew();
        void Feed(int first, int count, int hour)
        {
            for (int r = 0; r < Rounds; r++)
            {
                for (int i = first; i < first + count; i++)
                {
                    detector.Observe(names[i], start.AddHours(hour + r).AddTicks(i * 10L), prompts[random.Next(Prompts)]);
                }
            }
        }
        Feed(0, cap, 0);
        observe.Stop();
        var analyze = Stopwatch.StartNew();
        DetectionReport first = detector.Analyze();
        analyze.Stop();
        Feed(cap, Newcomers, Rounds);
        var again = Stopwatch.StartNew();
        DetectionReport report = detector.Analyze();
        again.Stop();
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        using Process self = Process.GetCurrentProcess();
        double perAccount = (double)(heapAfter - heapBefore) / detector.AccountCount;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"Detector at the account cap: {detector.AccountCount:N0} accounts tracked ({detector.EvictedCount:N0} evicted, {report.AnalyzedAccounts:N0} analyzed), " +
            $"{detector.Templates.TemplateCount:N0} templates; managed heap {(heapAfter - heapBefore) / 1e9:0.00} GB = {perAccount:N0} B per tracked account " +
            $"(detector state, analysis copies and pair cache, template index); peak working set of the test process {self.PeakWorkingSet64 / 1e9:0.00} GB; " +
            $"{(double)cap * Rounds:N0} observes in {observe.Elapsed.TotalSeconds:0} s; first analysis ({first.AnalyzedAccounts:N0} accounts) {analyze.Elapsed.TotalSeconds:0.0} s, the one after {Newcomers:N0} newcomers {again.Elapsed.TotalSeconds:0.0} s.");
        DetectionFigures.Append(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Assert.Equal(cap, first.AnalyzedAccounts);
        Assert.True(detector.EvictedCount >= Newcomers && detector.AccountCount <= cap, $"{detector.AccountCount:N0} tracked, {detector.EvictedCount:N0} evicted");
        GC.KeepAlive(detector);
    }
}
