using System.Diagnostics;
using System.Globalization;
using DistillDetect.Cli.Simulation;
using DistillDetect.Detection;

namespace DistillDetect.Tests.Evaluation;

/// <summary>
/// Measurement harness for the README: latency of <see cref="DistillationDetector.Observe(string, DateTimeOffset, string)"/>
/// under 2 concurrent callers on simulated traffic (built-in grammar, default scale, seed 1). Opt-in
/// (DISTILLDETECT_MEASURE=1): a measurement on a shared machine, not a pass/fail test.
/// </summary>
public sealed class ObserveLatencyTests
{
    private const double MeasuredScale = 0.005;

    [Fact]
    public void Observe_TwoConcurrentCallers_LatencyPercentiles()
    {
        if (Environment.GetEnvironmentVariable("DISTILLDETECT_MEASURE") != "1")
        {
            Assert.Skip("set DISTILLDETECT_MEASURE=1 to measure Observe latency under 2 concurrent callers.");
        }
        int warm = int.Parse(Environment.GetEnvironmentVariable("DISTILLDETECT_MEASURE_WARM") ?? "200000", CultureInfo.InvariantCulture);
        int measured = int.Parse(Environment.GetEnvironmentVariable("DISTILLDETECT_MEASURE_N") ?? "100000", CultureInfo.InvariantCulture);
        // Scale 0.005 (1,584,000 exchanges), the README's setting, not the default scale (which changed to 0.003).
        var traffic = new TrafficSimulator(new SimulationOptions { Seed = 1, Scale = MeasuredScale }).Take(warm + measured).ToArray();
        if (traffic.Length < warm + measured)
        {
            Assert.Fail($"DISTILLDETECT_MEASURE_WARM + DISTILLDETECT_MEASURE_N = {warm + measured:N0} exceeds the {traffic.Length:N0} exchanges of the scale-{MeasuredScale} simulation.");
        }
        var detector = new DistillationDetector();
        for (int i = 0; i < warm; i++) detector.Observe(traffic[i].Account, traffic[i].Timestamp, traffic[i].Prompt);
        detector.Analyze();

        // Two callers split the rest by account (as a gateway's threads would see different requests).
        var latencies = new long[2][];
        var wall = Stopwatch.StartNew();
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, caller =>
        {
            var mine = new List<long>(measured / 2 + 1024);
            for (int i = warm; i < traffic.Length; i++)
            {
                SimulatedExchange e = traffic[i];
                if ((e.Account.GetHashCode(StringComparison.Ordinal) & 1) != caller) continue;
                long t0 = Stopwatch.GetTimestamp();
                detector.Observe(e.Account, e.Timestamp, e.Prompt);
                mine.Add(Stopwatch.GetTimestamp() - t0);
            }
            latencies[caller] = [.. mine];
        });
        wall.Stop();
        long[] all = [.. latencies[0], .. latencies[1]];
        Array.Sort(all);
        double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"Observe, 2 concurrent callers, {all.Length:N0} exchanges after {warm:N0} warm-up (simulation at scale {MeasuredScale}, seed 1): median {Us(all[all.Length / 2]):0.0} us, p90 {Us(all[(int)(all.Length * 0.9)]):0.0} us, p99 {Us(all[(int)(all.Length * 0.99)]):0.0} us, max {Us(all[^1]):0} us; {all.Length / wall.Elapsed.TotalSeconds:N0} exchanges/s together.");
        DetectionFigures.Append(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Assert.Equal(measured, all.Length);
    }
}
