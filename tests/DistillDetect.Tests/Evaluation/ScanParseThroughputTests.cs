using System.Diagnostics;
using System.Globalization;
using DistillDetect.Cli;
using DistillDetect.Cli.Input;
using DistillDetect.Cli.Scanning;

namespace DistillDetect.Tests.Evaluation;

/// <summary>
/// Measurement harness: what scan's own per-record work costs without the detector (parse with the span
/// accessors, per-account tally, copy into pooled batches), on a file named by DISTILLDETECT_MEASURE_INPUT
/// (e.g. a default-scale simulated traffic.jsonl). Opt-in (DISTILLDETECT_MEASURE=1).
/// </summary>
public sealed class ScanParseThroughputTests
{
    [Fact]
    public void Scan_WithoutDetector_ParseTallyBatchThroughput()
    {
        string? input = Environment.GetEnvironmentVariable("DISTILLDETECT_MEASURE_INPUT");
        if (Environment.GetEnvironmentVariable("DISTILLDETECT_MEASURE") != "1" || string.IsNullOrEmpty(input))
        {
            Assert.Skip("set DISTILLDETECT_MEASURE=1 and DISTILLDETECT_MEASURE_INPUT=traffic.jsonl to measure scan's parsing throughput.");
        }
        using var context = new CommandContext(Stream.Null, Stream.Null, TextWriter.Null);
        var stopwatch = Stopwatch.StartNew();
        using ExchangeReader reader = ExchangeReader.Open(input, context, ExchangeFields.Account | ExchangeFields.Timestamp | ExchangeFields.Prompt);
        var table = new AccountTable();
        using var batch = new ExchangeBatch();
        long records = 0;
        while (reader.MoveNext())
        {
            long ticks = reader.Timestamp.UtcTicks;
            table.Record(reader.Account, ticks);
            if (!batch.TryAdd(reader.Account, ticks, reader.Prompt))
            {
                batch.Clear();
                batch.TryAdd(reader.Account, ticks, reader.Prompt);
            }
            records++;
        }
        stopwatch.Stop();
        double seconds = stopwatch.Elapsed.TotalSeconds;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"scan without the detector (parse + tally + batch copy, one thread) on {input}: {reader.BytesRead / 1e6:0.0} MB, {records:N0} records in {seconds:0.00} s = {reader.BytesRead / 1e6 / seconds:0.0} MB/s, {records / seconds:N0} records/s.");
        DetectionFigures.Append(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Assert.True(records > 0);
    }
}
