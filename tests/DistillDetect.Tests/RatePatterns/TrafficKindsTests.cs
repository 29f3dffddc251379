using System.Globalization;
using System.Text;
using System.Text.Json;
using DistillDetect.RatePatterns;

namespace DistillDetect.Tests.RatePatterns;

/// <summary>
/// Real aggregate traffic (three public LLM request traces, held-out 30 % of rows) against synthetic bot
/// schedules and a synthetic person: prints the figures each kind gets and asserts the statistics that
/// separate them. Bounds come from the processes' theory (comments), not from the observed values.
/// </summary>
public class TrafficKindsTests(ITestOutputHelper output)
{
    private static long[] ReadTrace(string file, bool mooncake)
    {
        string path = Path.Combine(SharedData.RequireDirectory(), file);
        // Mooncake times are milliseconds from the trace start; anchor them at an arbitrary Monday 00:00 UTC
        // (hour-of-day figures of that trace are therefore not meaningful).
        long anchor = TimingGenerators.Monday2024;
        var ticks = new List<long>();
        foreach (string line in SharedData.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            if (!SharedData.IsHeldOut(root.GetProperty("id").GetString()!)) continue;
            if (mooncake)
            {
                ticks.Add(anchor + root.GetProperty("timestamp_ms").GetInt64() * TimeSpan.TicksPerMillisecond);
            }
            else
            {
                // Azure writes "2023-11-16 18:17:03.9799600" without an offset: UTC.
                DateTime t = DateTime.ParseExact(root.GetProperty("timestamp").GetString()!, "yyyy-MM-dd HH:mm:ss.fffffff",
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                ticks.Add(t.Ticks);
            }
        }
        return ticks.ToArray();
    }

    private static TimingSummary Streamed(long[] ticks)
    {
        var timing = new AccountTiming();
        foreach (long t in ticks) timing.Add(t);
        return timing.GetSummary();
    }

    private static string F(double x) => double.IsNaN(x) ? "null" : x.ToString(Math.Abs(x) >= 100 ? "F0" : Math.Abs(x) >= 0.01 || x == 0 ? "F3" : "E1", CultureInfo.InvariantCulture);

    [Fact]
    public void Summaries_RealTracesAndSyntheticSchedules_SeparatingStatisticsHold()
    {
        var kinds = new List<(string Name, long[] Ticks)>
        {
            ("azure-code (aggregate, 1 h)", ReadTrace("trace_azure_llm_2023_code.jsonl.gz", false)),
            ("azure-conv (aggregate, 1 h)", ReadTrace("trace_azure_llm_2023_conv.jsonl.gz", false)),
            ("mooncake-conv (aggregate, 1 h, 3 s grid)", ReadTrace("trace_mooncake_conversation.jsonl.gz", true)),
            ("bot: 60 s +-50 % jitter, 7 d 24/7", TimingGenerators.JitteredInterval(11, 10_080, 60, 0.5)),
            ("bot: Poisson mean 60 s, 7 d 24/7", TimingGenerators.Poisson(12, 10_080, 60)),
            ("bot: shift 01-09 UTC weekdays (UTC+8 office), 14 d", TimingGenerators.ShiftWork(13, 14, 1, 9, 30)),
            ("person: evening sessions, 14 d", TimingGenerators.Human(14, 14)),
        };
        var sb = new StringBuilder();
        sb.AppendLine("| kind | count | mean gap s | CV | B | A_n | M | gap H bits | regular share | CCE bits | period s | strength | KS D | KS p | Lilliefors p | dispersion | hour-of-day H bits | active days |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var exact = new Dictionary<string, TimingSummary>();
        var streamed = new Dictionary<string, TimingSummary>();
        foreach ((string name, long[] ticks) in kinds)
        {
            TimingSummary s = TimingSummary.FromTimestamps(ticks);
            exact[name] = s;
            streamed[name] = Streamed(ticks);
            sb.AppendLine($"| {name} | {s.Count} | {F(s.MeanGapSeconds)} | {F(s.CoefficientOfVariation)} | {F(s.Burstiness)} | {F(s.BurstinessCorrected)} | {F(s.Memory)} | {F(s.GapEntropyBits)} | {F(s.RegularGapShare)} | {F(s.ConditionalEntropyBits)} | {F(s.PeriodSeconds)} | {F(s.PeriodStrength)} | {F(s.KsExponentialD)} | {F(s.KsExponentialP)} | {F(s.KsLillieforsP)} | {F(s.DispersionIndex)} | {F(s.HourOfDayEntropyBits)} | {s.ActiveDays} |");
        }
        sb.AppendLine();
        sb.AppendLine("streaming view (last 32 gaps for CCE, period, KS):");
        foreach ((string name, _) in kinds)
        {
            TimingSummary s = streamed[name];
            sb.AppendLine($"| {name} | CCE {F(s.ConditionalEntropyBits)} | period {F(s.PeriodSeconds)} | strength {F(s.PeriodStrength)} | KS D {F(s.KsExponentialD)} | Lilliefors p {F(s.KsLillieforsP)} |");
        }
        output.WriteLine(sb.ToString());

        TimingSummary code = exact[kinds[0].Name], conv = exact[kinds[1].Name], moon = exact[kinds[2].Name];
        TimingSummary jitter = exact[kinds[3].Name], poisson = exact[kinds[4].Name], shift = exact[kinds[5].Name], human = exact[kinds[6].Name];

        // Jittered interval: gaps U[30, 90] have CV = (60 / sqrt(12)) / 60 = 0.289; every gap is in one
        // [g, 3g] window, so strength 1 and period = median gap (60 +- 1 s); hourly counts of a renewal process
        // have a Fano factor near CV^2 = 0.083. The index runs from the first to the last hour inclusive, so
        // the two partial edge hours add up to 2 * (N/H)^2 / (H - 1) / (N/H) = 2 (N/H) / (H - 1) (each edge
        // count lies between 0 and the hourly mean): the bound below is 1.5 CV^2 + that edge term.
        Assert.InRange(jitter.CoefficientOfVariation, 0.25, 0.33);
        Assert.InRange(jitter.PeriodSeconds, 54, 66);
        Assert.Equal(1.0, jitter.PeriodStrength);
        Assert.Equal(1.0, streamed[kinds[3].Name].PeriodStrength);
        double EdgeTerm(TimingSummary s) => 2.0 * s.Count / s.HourBins / (s.HourBins - 1);
        Assert.InRange(jitter.DispersionIndex, 0, 1.5 * 0.083 + EdgeTerm(jitter));
        Assert.True(jitter.HourOfDayEntropyBits > 4.5);

        // Poisson: CV 1 (standard error about 1/sqrt(n) = 0.01, so +-0.1 is generous), D below the plain KS
        // 1 % point 1.63/sqrt(n) (the Lilliefors point is lower still), hourly dispersion 1 +- 4 sqrt(2/167),
        // period strength at most 4 * 0.5/sqrt(n) / (1 - 0.385) above 0, and 24/7 hours. The dispersion bound
        // adds the edge-hour term derived above.
        Assert.InRange(poisson.CoefficientOfVariation, 0.9, 1.1);
        Assert.True(poisson.KsExponentialD < 1.63 / Math.Sqrt(poisson.Count - 1));
        Assert.InRange(poisson.DispersionIndex, 1 - 4 * Math.Sqrt(2.0 / 167), 1 + 4 * Math.Sqrt(2.0 / 167) + EdgeTerm(poisson));
        Assert.True(poisson.PeriodStrength < 4 * 0.5 / Math.Sqrt(poisson.Count) / (1 - 0.385));
        Assert.True(poisson.HourOfDayEntropyBits > 4.5);

        // Shift work: requests only in 8 UTC hours -> hour-of-day entropy log2(8) = 3 bits (a few thousandths
        // lower by sampling); 10 weekdays; empty nights make hourly counts over-dispersed and gaps bursty.
        Assert.InRange(shift.HourOfDayEntropyBits, 2.95, 3.0 + 1e-9);
        Assert.Equal(10, shift.ActiveDays);
        Assert.True(shift.DispersionIndex > 5);
        Assert.True(shift.CoefficientOfVariation > 2);

        // Person: sessions separated by hours -> heavy-tailed gaps (CV >> 1, A_n > 0.3), far from exponential
        // (Lilliefors p at its floor 1/1001), evening-only hours.
        Assert.True(human.CoefficientOfVariation > 2);
        Assert.True(human.BurstinessCorrected > 0.3);
        Assert.True(human.KsLillieforsP < 0.002);
        Assert.True(human.HourOfDayEntropyBits < 3.5);

        // Aggregate service traffic (many users merged) is not one account: the Azure chat service is
        // near-Poisson at short scales (SOURCES.md: CV 1.09), the code service very bursty (CV 13), Mooncake
        // sits on a 3 s grid so most gaps are 0. None has a schedule: no [g, 3g] window holds much more than
        // Poisson's share of the gaps.
        Assert.InRange(conv.CoefficientOfVariation, 0.9, 1.5);
        Assert.True(code.CoefficientOfVariation > 3);
        Assert.Equal(0, moon.MinGapSeconds);
        foreach (TimingSummary s in new[] { code, conv, moon }) Assert.True(s.PeriodStrength < 0.3, $"trace period strength {s.PeriodStrength}");

        // The separating statistics: period strength sets the jittered bot apart from every other kind;
        // hour-of-day entropy the 24/7 bots (> 4.5 bits) from the shift (3) and the person (< 3.5); CV the
        // Poisson bot (~1) from the person and the shift (> 2) and from the jittered bot (0.29).
        Assert.True(jitter.PeriodStrength > 3 * Math.Max(Math.Max(poisson.PeriodStrength, shift.PeriodStrength), human.PeriodStrength));
    }
}
