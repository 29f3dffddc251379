using System.Globalization;
using System.Text;
using System.Text.Json;
using DistillDetect.Cli;
using DistillDetect.RatePatterns;

namespace DistillDetect.Tests.Cli.Commands;

public sealed class TimingCommandTests
{
    // Hand-checked accounts (all times UTC, 2026-04-22 unless said):
    //  "B"  00:00:00, 00:00:10, 00:00:20 (the last as Unix seconds): gaps 10, 10.
    //  "a"  00:00:00, 00:30:00, 02:15:00: gaps 1800, 6300; hourly counts 2, 0, 1.
    //  "b"  00:00:00, 00:00:10, 00:00:30, 00:01:00: gaps 10, 20, 30.
    //  "c"  22nd 23:59:59, 23rd 00:00:01 (written +02:00), 25th 12:00:00 (Unix milliseconds).
    //  "d"  one exchange; "e" two exchanges 5 s apart.
    // Ordinal order puts "B" before "a".
    private const string Sample = """
        {"account": "a", "timestamp": "2026-04-22T00:00:00Z", "prompt": "x"}
        {"account": "B", "timestamp": "2026-04-22T00:00:00Z"}
        {"account": "b", "timestamp": "2026-04-22T00:00:00Z"}
        {"account": "B", "timestamp": "2026-04-22T00:00:10Z"}
        {"account": "B", "timestamp": 1776816020}
        {"account": "a", "timestamp": "2026-04-22T00:30:00Z"}
        {"account": "b", "timestamp": "2026-04-22T00:00:10Z"}
        {"account": "b", "timestamp": "2026-04-22T00:00:30Z"}
        {"account": "a", "timestamp": "2026-04-22T02:15:00Z"}
        {"account": "b", "timestamp": "2026-04-22T00:01:00Z"}
        {"account": "c", "timestamp": "2026-04-22T23:59:59Z"}
        {"account": "c", "timestamp": "2026-04-23T02:00:01+02:00"}
        {"account": "c", "timestamp": 1777118400000}
        {"account": "d", "timestamp": "2026-04-22T05:00:00.5Z"}
        {"account": "e", "timestamp": "2026-04-22T06:00:00Z"}
        {"account": "e", "timestamp": "2026-04-22T06:00:05Z"}
        """;

    [Fact]
    public void Timing_ThreeExchanges10SecondsApart_HandComputedFigures()
    {
        var r = CliRunner.Run(Sample, "timing", "-");
        Assert.Equal(0, r.ExitCode);
        JsonElement b = Lines(r.Stdout)[0];
        Assert.Equal("B", b.GetProperty("account").GetString());
        Assert.Equal(3, b.GetProperty("count").GetInt64());
        Assert.Equal("2026-04-22T00:00:00Z", b.GetProperty("first").GetString());
        Assert.Equal("2026-04-22T00:00:20Z", b.GetProperty("last").GetString());
        Assert.Equal(10.0, Number(b, "mean_gap_s"));
        Assert.Equal(0.0, Number(b, "gap_sd_s"));
        Assert.Equal(0.0, Number(b, "cv"));
        Assert.Equal(-1.0, Number(b, "burstiness"));
        Assert.Equal(JsonValueKind.Null, b.GetProperty("memory").ValueKind); // 0/0: no variance
        Assert.Equal(0.0, Number(b, "hour_entropy_bits"));
        Assert.Equal(1, b.GetProperty("active_days").GetInt64());
        // Equal gaps at their own mean: D = max(F(m), 1 - F(m)) with F(m) = 1 - 1/e. With n = 2 gaps, d >= 1 - 1/n,
        // so P(D >= d) = 2 (1 - d)^n = 2 / e^2 exactly (Ruben and Gambino 1982).
        Assert.Equal(1 - Math.Exp(-1), Number(b, "ks_exponential_d"), 1e-12);
        Assert.Equal(2 * Math.Exp(-2), Number(b, "ks_exponential_p"), 1e-12);
        Assert.Equal(JsonValueKind.Null, b.GetProperty("dispersion_index").ValueKind); // one hour bin
        Assert.Equal(10.0, Number(b, "period_s"));
        Assert.Equal(1.0, Number(b, "period_strength"));
    }

    [Fact]
    public void Timing_TwoUnequalGaps_HandComputedSpreadKsAndDispersion()
    {
        JsonElement a = Lines(CliRunner.Run(Sample, "timing", "-").Stdout)[1];
        Assert.Equal("a", a.GetProperty("account").GetString());
        // gaps 1800, 6300: mean 4050, sample sd sqrt(2 * 2250^2) = 2250 sqrt 2.
        double sd = 2250 * Math.Sqrt(2);
        Assert.Equal(4050.0, Number(a, "mean_gap_s"), 1e-9);
        Assert.Equal(sd, Number(a, "gap_sd_s"), 1e-9);
        Assert.Equal(sd / 4050, Number(a, "cv"), 1e-12);
        Assert.Equal((sd - 4050) / (sd + 4050), Number(a, "burstiness"), 1e-12);
        Assert.Equal(1800.0, Number(a, "min_gap_s"));
        // Hours 0, 0, 2: entropy of (2/3, 1/3).
        Assert.Equal(-(2.0 / 3 * Math.Log2(2.0 / 3) + 1.0 / 3 * Math.Log2(1.0 / 3)), Number(a, "hour_entropy_bits"), 1e-12);
        // Hour bins 00, 01, 02 hold 2, 0, 1: mean 1, sample variance (1 + 1 + 0) / 2 = 1, so D = 1; the chi-square
        // statistic (H - 1) D = 2 on 2 degrees of freedom has upper tail exp(-2/2).
        Assert.Equal(3, a.GetProperty("hour_bins").GetInt64());
        Assert.Equal(1.0, Number(a, "dispersion_index"), 1e-12);
        Assert.Equal(Math.Exp(-1), Number(a, "dispersion_p"), 1e-9);
        // KS: F(1800) = 1 - e^(-4/9) is the largest deviation (the ECDF is 0 just below 1800).
        double d = 1 - Math.Exp(-4.0 / 9);
        Assert.Equal(d, Number(a, "ks_exponential_d"), 1e-12);
        // For 1/(2n) <= d <= 1/n: P(D_n < d) = n! (2d - 1/n)^n (Ruben and Gambino 1982), n = 2.
        Assert.Equal(1 - 2 * Math.Pow(2 * d - 0.5, 2), Number(a, "ks_exponential_p"), 1e-9);
    }

    [Fact]
    public void Timing_GapsOf10_20_30_HandComputedMomentsAndMemory()
    {
        JsonElement b = Lines(CliRunner.Run(Sample, "timing", "-").Stdout)[2];
        Assert.Equal("b", b.GetProperty("account").GetString());
        Assert.Equal(4, b.GetProperty("count").GetInt64());
        Assert.Equal(20.0, Number(b, "mean_gap_s"), 1e-12);
        Assert.Equal(0.5, Number(b, "cv"), 1e-12); // sample sd 10
        Assert.Equal(-1.0 / 3, Number(b, "burstiness"), 1e-12);
        // Kim and Jo with n = 3 gaps: r = sqrt(200/3)/20 = 1/sqrt 6, A = (2r - sqrt 2) / sqrt 2 = 1/sqrt 3 - 1.
        Assert.Equal((1 / Math.Sqrt(3)) - 1, Number(b, "burstiness_corrected"), 1e-12);
        // Consecutive pairs (10, 20), (20, 30) lie on a line: correlation 1.
        Assert.Equal(1.0, Number(b, "memory"), 1e-12);
    }

    [Fact]
    public void Timing_DaysOffsetsAndUnixMilliseconds_CountDaysHoursAndDispersion()
    {
        JsonElement c = Lines(CliRunner.Run(Sample, "timing", "-").Stdout)[3];
        Assert.Equal("c", c.GetProperty("account").GetString());
        Assert.Equal("2026-04-22T23:59:59Z", c.GetProperty("first").GetString());
        Assert.Equal("2026-04-25T12:00:00Z", c.GetProperty("last").GetString());
        Assert.Equal(3, c.GetProperty("active_days").GetInt64());
        Assert.Equal(Math.Log2(3), Number(c, "hour_entropy_bits"), 1e-12); // hours 23, 0, 12
        Assert.Equal(2.0, Number(c, "min_gap_s"));
        // Bins from 22nd 23:00 to 25th 12:00: H = 1 + 1 + 48 + 12 = 62, N = 3, each bin 0 or 1:
        // D = (H * sum c^2 - N^2) / ((H - 1) N) = (62 * 3 - 9) / (61 * 3).
        Assert.Equal(62, c.GetProperty("hour_bins").GetInt64());
        Assert.Equal(177.0 / 183, Number(c, "dispersion_index"), 1e-12);
    }

    [Fact]
    public void Timing_FewerThanThreeExchanges_NullWhereUndefined()
    {
        JsonElement[] lines = Lines(CliRunner.Run(Sample, "timing", "-").Stdout);
        Assert.Equal(6, lines.Length);
        JsonElement d = lines[4];
        Assert.Equal("d", d.GetProperty("account").GetString());
        Assert.Equal(1, d.GetProperty("count").GetInt64());
        Assert.Equal("2026-04-22T05:00:00.5Z", d.GetProperty("first").GetString());
        Assert.Equal(d.GetProperty("first").GetString(), d.GetProperty("last").GetString());
        Assert.Equal(0.0, Number(d, "hour_entropy_bits"));
        Assert.Equal(1, d.GetProperty("active_days").GetInt64());
        JsonElement e = lines[5];
        Assert.Equal(5.0, Number(e, "mean_gap_s"));
        foreach (JsonElement x in new[] { d, e })
        {
            foreach (string name in new[] { "cv", "burstiness", "memory", "ks_exponential_d", "ks_exponential_p", "dispersion_index", "period_s", "period_strength" })
            {
                Assert.Equal(JsonValueKind.Null, x.GetProperty(name).ValueKind);
            }
        }
        Assert.Equal(JsonValueKind.Null, d.GetProperty("mean_gap_s").ValueKind);
    }

    [Fact]
    public void Timing_EveryLine_HasTheContractFieldsAndMatchesTheLibrary()
    {
        var r = CliRunner.Run(Sample, "timing", "-");
        foreach (JsonElement line in Lines(r.Stdout))
        {
            string account = line.GetProperty("account").GetString()!;
            long[] ticks = [.. ParseSample().Where(x => x.Account == account).Select(x => x.Ticks)];
            AssertMatches(TimingSummary.FromTimestamps(ticks), line);
        }
    }

    [Fact]
    public void Timing_UnsortedInput_GivesTheSameBytesAsSorted()
    {
        // Five accounts with random gaps (fixed seed), written once in time order and once shuffled.
        var rng = new Random(20260422);
        var rows = new List<(string Account, long Ms)>();
        for (int a = 0; a < 5; a++)
        {
            long t = 1_776_816_000_000L + a * 1000;
            for (int i = 0; i < 200; i++)
            {
                t += rng.Next(1, 600_000);
                rows.Add(("acct-" + a, t));
            }
        }
        string Jsonl(IEnumerable<(string Account, long Ms)> xs) =>
            string.Concat(xs.Select(x => $"{{\"account\":\"{x.Account}\",\"timestamp\":{x.Ms}}}\n"));
        string sorted = Jsonl(rows.OrderBy(x => x.Ms));
        string shuffled = Jsonl(rows.OrderBy(_ => rng.Next()));
        Assert.NotEqual(sorted, shuffled);
        var a1 = CliRunner.Run(sorted, "timing", "-");
        var a2 = CliRunner.Run(shuffled, "timing", "-");
        Assert.Equal(0, a2.ExitCode);
        Assert.Equal(5, Lines(a1.Stdout).Length);
        Assert.Equal(a1.Stdout, a2.Stdout);
    }

    [Fact]
    public void Timing_MoreAccountsThanOneSummaryBlock_AllInOrdinalOrderAndExact()
    {
        // 2,500 accounts (the command summarizes blocks of 1,024 in parallel), names in reverse input order, 3 to 5
        // exchanges each with account-specific gaps, interleaved across accounts.
        const int Accounts = 2500;
        var rows = new List<(string Account, long Ms)>();
        for (int k = 0; k < 5; k++)
        {
            for (int a = Accounts - 1; a >= 0; a--)
            {
                if (k < 3 + (a % 3))
                {
                    rows.Add(($"u{a}", 1_776_816_000_000L + (k * (1000L + (a * 37)) * (k + 1))));
                }
            }
        }
        var r = CliRunner.Run(string.Concat(rows.Select(x => $"{{\"account\":\"{x.Account}\",\"timestamp\":{x.Ms}}}\n")), "timing", "-");
        Assert.Equal(0, r.ExitCode);
        JsonElement[] lines = Lines(r.Stdout);
        string[] names = [.. lines.Select(l => l.GetProperty("account").GetString()!)];
        Assert.Equal(rows.Select(x => x.Account).Distinct().Order(StringComparer.Ordinal), names);
        for (int i = 0; i < lines.Length; i += 97)
        {
            long[] ticks = [.. rows.Where(x => x.Account == names[i]).Select(x => DateTimeOffset.FromUnixTimeMilliseconds(x.Ms).UtcTicks)];
            AssertMatches(TimingSummary.FromTimestamps(ticks), lines[i]);
        }
    }

    [Fact]
    public void Timing_CsvInput_GivesTheSameOutputAsJsonLines()
    {
        var csv = new StringBuilder("id,prompt,timestamp,account\r\n");
        int n = 0;
        foreach ((string account, long ticks) in ParseSample())
        {
            // ISO-8601 with 7 fraction digits, a quoted prompt with a comma and a doubled quote.
            string stamp = new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{++n},\"say \"\"hi\"\", then go\",{stamp},\"{account}\"\r\n");
        }
        string expected = CliRunner.Run(Sample, "timing", "-").Stdout;
        using var dir = new TempDirectory();
        var fromFile = CliRunner.Run(null, "timing", dir.Write("log.csv", csv.ToString()));
        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(expected, fromFile.Stdout);
        var fromStdin = CliRunner.Run(csv.ToString(), "timing", "-", "--format", "csv");
        Assert.Equal(expected, fromStdin.Stdout);
        Assert.Equal("", fromStdin.Stderr);
    }

    [Fact]
    public void Timing_MalformedLines_ReportedByLineNumberAndSkipped()
    {
        string input = """
            {"account": "x", "timestamp": "2026-04-22T00:00:00Z"}
            {"account": "x", "timestamp": "yesterday"}
            not json at all
            {"timestamp": "2026-04-22T00:00:05Z"}
            {"account": 7, "timestamp": "2026-04-22T00:00:05Z"}
            {"account": "x", "timestamp": "2026-04-22T00:00:10Z"}
            """;
        var r = CliRunner.Run(input, "timing", "-");
        Assert.Equal(0, r.ExitCode);
        JsonElement x = Assert.Single(Lines(r.Stdout));
        Assert.Equal(2, x.GetProperty("count").GetInt64());
        Assert.Equal(10.0, Number(x, "mean_gap_s"));
        foreach (int line in new[] { 2, 3, 4, 5 })
        {
            Assert.Contains($"stdin: line {line}: ", r.Stderr, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("line 1:", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("line 6:", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("4 malformed lines skipped", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void Timing_EmptyInput_NoOutputLinesAndExit0(string input)
    {
        var r = CliRunner.Run(input, "timing", "-");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Timing_OutputFile_WritesFileAndNothingToStdout()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("in.jsonl", Sample);
        string output = dir.File("timing.jsonl");
        var r = CliRunner.Run(null, "timing", input, "--output", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal(CliRunner.Run(Sample, "timing", "-").Stdout, File.ReadAllText(output));
    }

    [Fact]
    public void Timing_WithProgress_PrintsReadAndSummaryLinesOnStderr()
    {
        using CommandContext context = CliRunner.Context(Encoding.UTF8.GetBytes(Sample), out MemoryStream stdout, out StringWriter stderr, progress: true);
        Assert.Equal(0, CommandLine.Run(["timing", "-"], context));
        Assert.Contains("stdin: read 16 lines", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("timing: 16 exchanges of 6 accounts summarized to stdout", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(6, Lines(Encoding.UTF8.GetString(stdout.ToArray())).Length);
    }

    [Theory]
    [InlineData(new[] { "timing" }, "missing INPUT")]
    [InlineData(new[] { "timing", "-", "--format", "xml" }, "'--format'")]
    [InlineData(new[] { "timing", "-", "--hashes", "3" }, "'--hashes'")]
    [InlineData(new[] { "timing", "a.jsonl", "b.jsonl" }, "'b.jsonl'")]
    public void Timing_BadArguments_Exit2NamingTheProblem(string[] args, string named)
    {
        var r = CliRunner.Run("", args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: distilldetect timing", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Timing_MissingFile_Exit1WithOneLine()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "timing", dir.File("absent.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("file not found", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Timing_CsvWithoutTimestampColumn_Exit1NamingTheColumn()
    {
        var r = CliRunner.Run("account,prompt\na,hello\n", "timing", "-", "--format", "csv");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("\"timestamp\"", r.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The Azure 2023 code trace (8,819 real arrivals, one hour) as one account: the command's figures equal the
    /// library's exact summary of independently parsed timestamps, and agree with the statistics SOURCES.md lists
    /// for the trace (mean IAT 0.3897 s, CV 13.15; both rounded, hence the tolerances of half a unit in the last digit).
    /// </summary>
    [Fact]
    public void Timing_AzureCodeTraceAsOneAccount_MatchesTheLibraryAndThePublishedStatistics()
    {
        string path = Path.Combine(SharedData.RequireDirectory(), "trace_azure_llm_2023_code.jsonl.gz");
        using var dir = new TempDirectory();
        var ticks = new List<long>();
        var jsonl = new StringBuilder();
        foreach (string line in SharedData.ReadLines(path))
        {
            using (var doc = JsonDocument.Parse(line))
            {
                string stamp = doc.RootElement.GetProperty("timestamp").GetString()!;
                ticks.Add(DateTime.ParseExact(stamp, "yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).Ticks);
            }
            jsonl.Append("{\"account\":\"azure-code\",").Append(line.AsSpan(line.IndexOf('{', StringComparison.Ordinal) + 1)).Append('\n');
        }
        var r = CliRunner.Run(null, "timing", dir.Write("azure.jsonl", jsonl.ToString()));
        Assert.Equal(0, r.ExitCode);
        JsonElement azure = Assert.Single(Lines(r.Stdout));
        Assert.Equal("azure-code", azure.GetProperty("account").GetString());
        Assert.Equal(8819, azure.GetProperty("count").GetInt64());
        AssertMatches(TimingSummary.FromTimestamps(ticks.ToArray()), azure);
        Assert.Equal("2023-11-16T18:17:03.97996Z", azure.GetProperty("first").GetString());
        Assert.Equal(0.3897, Number(azure, "mean_gap_s"), 0.00005);
        Assert.Equal(13.15, Number(azure, "cv"), 0.005 + 0.001); // plus the n vs n - 1 difference, 13.15 / (2 * 8818)
        Assert.True(Number(azure, "burstiness") > 0.8, "a CV of 13 is very bursty: B = (13 - 1) / (13 + 1) = 0.86");
    }

    private static void AssertMatches(TimingSummary s, JsonElement line)
    {
        Assert.Equal(s.Count, line.GetProperty("count").GetInt64());
        Assert.Equal(s.First!.Value, DateTimeOffset.Parse(line.GetProperty("first").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(s.Last!.Value, DateTimeOffset.Parse(line.GetProperty("last").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(s.ActiveDays, line.GetProperty("active_days").GetInt64());
        Assert.Equal(s.HourBins, line.GetProperty("hour_bins").GetInt64());
        foreach ((string name, double expected) in new[]
        {
            ("mean_gap_s", s.MeanGapSeconds), ("gap_sd_s", s.GapStandardDeviationSeconds), ("min_gap_s", s.MinGapSeconds),
            ("cv", s.CoefficientOfVariation), ("burstiness", s.Burstiness), ("burstiness_corrected", s.BurstinessCorrected),
            ("memory", s.Memory), ("gap_entropy_bits", s.GapEntropyBits), ("regular_gap_share", s.RegularGapShare), ("conditional_entropy_bits", s.ConditionalEntropyBits),
            ("hour_entropy_bits", s.HourOfDayEntropyBits), ("hour_of_week_entropy_bits", s.HourOfWeekEntropyBits),
            ("ks_exponential_d", s.KsExponentialD), ("ks_exponential_p", s.KsExponentialP), ("ks_lilliefors_p", s.KsLillieforsP),
            ("dispersion_index", s.DispersionIndex), ("dispersion_p", s.DispersionPValue),
            ("period_s", s.PeriodSeconds), ("period_strength", s.PeriodStrength),
        })
        {
            JsonElement value = line.GetProperty(name);
            if (double.IsNaN(expected))
            {
                Assert.True(value.ValueKind == JsonValueKind.Null, $"{name}: expected null, got {value}");
            }
            else
            {
                // JSON numbers are written in round-trip form, so the values are bit-identical.
                Assert.True(value.ValueKind == JsonValueKind.Number && value.GetDouble() == expected, $"{name}: expected {expected:R}, got {value}");
            }
        }
    }

    private static List<(string Account, long Ticks)> ParseSample()
    {
        var rows = new List<(string, long)>();
        foreach (string line in Sample.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement ts = doc.RootElement.GetProperty("timestamp");
            DateTimeOffset t = ts.ValueKind == JsonValueKind.Number
                ? (ts.GetInt64() > 100_000_000_000L ? DateTimeOffset.FromUnixTimeMilliseconds(ts.GetInt64()) : DateTimeOffset.FromUnixTimeSeconds(ts.GetInt64()))
                : DateTimeOffset.Parse(ts.GetString()!, CultureInfo.InvariantCulture);
            rows.Add((doc.RootElement.GetProperty("account").GetString()!, t.UtcTicks));
        }
        return rows;
    }

    private static double Number(JsonElement e, string name) => e.GetProperty(name).GetDouble();

    private static JsonElement[] Lines(string jsonl) => [.. jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse)];

    private static JsonElement Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }
}
