using DistillDetect.Cli.Progress;

namespace DistillDetect.Tests.Cli.Progress;

public sealed class ProgressReporterTests
{
    [Fact]
    public void Update_QuietForFirstSecondAndAHalfThenAtMostOncePerSecond()
    {
        var time = new ManualTimeProvider();
        var error = new StringWriter();
        var progress = new ProgressReporter(error, time, "in.jsonl", enabled: true, redraw: false);
        for (int step = 0; step < 14; step++) // 0 .. 1.3 s in 100 ms steps
        {
            progress.Update(step, step * 1_000_000, 0);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal("", error.ToString());
        // From 1.4 s to 4.4 s in 100 ms steps: prints at 1.5 s, 2.5 s, 3.5 s (not more often than once a second).
        for (int step = 14; step <= 44; step++)
        {
            progress.Update(step, step * 1_000_000L, 2);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal(3, progress.LinesPrinted);
        Assert.StartsWith("in.jsonl: 15 lines, 15.0 MB, 10.0 MB/s, 2 malformed", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_PrintsOneSummaryLineOnce()
    {
        var time = new ManualTimeProvider();
        var error = new StringWriter();
        var progress = new ProgressReporter(error, time, "in.jsonl", enabled: true, redraw: false);
        time.Advance(TimeSpan.FromSeconds(2));
        progress.Complete(1000, 990, 50_000_000, 10);
        progress.Complete(1000, 990, 50_000_000, 10);
        progress.Update(2000, 1, 1);
        Assert.Equal("in.jsonl: read 1,000 lines (50.0 MB) in 2.0 s (25.0 MB/s): 990 records, 10 malformed" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Disabled_PrintsNothing()
    {
        var time = new ManualTimeProvider();
        var error = new StringWriter();
        var progress = new ProgressReporter(error, time, "x", enabled: false, redraw: false);
        time.Advance(TimeSpan.FromSeconds(10));
        progress.Update(1, 1, 1);
        progress.Complete(1, 1, 1, 1);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void ExchangeReader_WithProgressContext_PrintsSummaryAtEnd()
    {
        var time = new ManualTimeProvider();
        using var context = new DistillDetect.Cli.CommandContext(
            new MemoryStream("{\"account\":\"a\",\"timestamp\":1,\"prompt\":\"x\"}\n"u8.ToArray()), new MemoryStream(), new StringWriter(), showProgress: true, time);
        using var reader = DistillDetect.Cli.Input.ExchangeReader.Open("-", context, DistillDetect.Cli.Input.ExchangeFields.Prompt);
        while (reader.MoveNext())
        {
        }
        Assert.Contains("stdin: read 1 lines", context.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 records, 0 malformed", context.Error.ToString(), StringComparison.Ordinal);
    }
}
