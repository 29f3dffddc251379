using System.Diagnostics;
using System.Globalization;
using DistillDetect.Cli.Input;
using DistillDetect.Cli.Output;
using DistillDetect.Cli.Reports;
using DistillDetect.Cli.Scanning;
using DistillDetect.Detection;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// <c>distilldetect scan INPUT|- [--output report.json] [--format jsonl|csv] [--replay]</c>: runs the whole
/// detection over a log of exchanges and writes the JSON <see cref="ScanReport"/>; a readable summary and
/// progress go to stderr.
/// </summary>
/// <remarks>
/// <para><b>Plain scan.</b> One streaming pass: the reader's span accessors (no string per record) feed the
/// detector on the calling thread, or, with <see cref="Workers"/> above 0, one thread parses and the workers
/// observe, split by account so each account's exchanges keep input order (<see cref="ParallelScanner"/>); an analysis at hour boundaries of input time (in the background while the workers observe, as a
/// gateway does), and a final one. Memory: the detector (bounded by <see cref="DetectionOptions.MaxAccounts"/>), the scan's own
/// per-account tally (about 100 bytes per account) and a few MB of batches; never the input.</para>
/// <para><b>Unsorted input.</b> Content and cohort signals do not depend on order. The timing statistics
/// take each account's exchanges as they come: an exchange older than one already seen for its account
/// counts as a zero gap (the detector keeps no reorder window), which makes a machine-timed account look
/// burstier. The report counts them per flagged account (<c>out_of_order</c> signal) and the summary gives
/// the total. <c>--replay</c> puts the input in time order first.</para>
/// <para><b>Replay.</b> <see cref="TimeOrderedSpool"/> sorts the input by time with bounded memory (an
/// external merge sort: 128 MB chunks, sorted runs in temporary files, then a heap merge; per exchange only its
/// share of the chunk while buffered), then <see cref="ReplaySession"/> feeds it in time order, analyzes every
/// simulated hour and records each account's first flag; the report gains <c>first_flagged</c>,
/// <c>exchanges_before_flagged</c> and the <c>replay</c> object <c>evaluate</c> reads.</para>
/// </remarks>
internal sealed class ScanCommand : ICommand
{
    /// <summary>Input (simulated) time between two analyses, in a replay and in a plain scan.</summary>
    public static readonly TimeSpan ReplayAnalysisInterval = TimeSpan.FromHours(1);

    private static readonly ArgumentSyntax s_syntax = new(["INPUT"], 1, ["--output", "--format"], ["--replay"]);

    /// <summary>Creates the command with the default number of observing threads.</summary>
    public ScanCommand()
        : this(DefaultWorkers)
    {
    }

    /// <summary>Creates the command with <paramref name="workers"/> observing threads (0 = everything on the calling thread).</summary>
    internal ScanCommand(int workers, int replayChunkChars = TimeOrderedSpool.DefaultChunkChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        Workers = workers;
        ReplayChunkChars = replayChunkChars;
    }

    /// <summary>
    /// Default observing threads: one per core, at least 2, besides the parser, with the hourly analyses in the
    /// background after the workers drain (<see cref="ParallelScanner"/>). Measured on this 2-core machine (the
    /// demo's 1,584,000 simulated exchanges, 393.5 MB): inline (0) 73.7 s with 1,008 synchronous analyses (36.4 s of
    /// them); 2 observers with synchronous analyses 56.4 s; 2 observers with the drain and background analyses
    /// 35.4 s with two other builds running (57 analyses; without the drain 25.6 s quiet, but see ParallelScanner on
    /// why that was wrong); precision and recall 1.0 in every setting. Workers make the flags depend on thread
    /// timing at the margin; 0 workers is the deterministic choice.
    /// </summary>
    public static int DefaultWorkers => Math.Max(2, Environment.ProcessorCount);

    /// <summary>Observing threads of a plain scan.</summary>
    public int Workers { get; }

    /// <summary>Replay chunk size in characters (see <see cref="TimeOrderedSpool"/>).</summary>
    public int ReplayChunkChars { get; }

    /// <inheritdoc/>
    public string Name => "scan";

    /// <inheritdoc/>
    public string UsageLine => "scan INPUT [--output report.json] [--format jsonl|csv] [--replay]";

    /// <inheritdoc/>
    public string Description =>
        "Detects distillation campaigns in a log of exchanges (JSON Lines or CSV with account, timestamp, prompt; " +
        "INPUT - is stdin; any order) and writes the report as JSON ({\"input\", \"campaigns\", \"accounts\", \"replay\"}) " +
        "to --output or stdout; a summary and progress go to stderr. The detector analyzes every hour of input time as " +
        "the log is read (as a gateway analyzes in the background) and once at the end. --replay feeds the exchanges in time order " +
        "(sorting with bounded memory and temporary files), analyzes every simulated hour and records when each " +
        "flagged account was first flagged (first_flagged, exchanges_before_flagged) for evaluate. --format " +
        "overrides the format guessed from the extension or the first byte.";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(args, s_syntax);
        if (parsed.HelpRequested)
        {
            return CommandLine.PrintHelp(this, context);
        }
        string input = parsed.Positionals[0];
        InputFormat format = parsed.GetInputFormat();
        string? output = parsed.GetString("--output");
        bool replay = parsed.HasFlag("--replay");

        long started = Stopwatch.GetTimestamp();
        var detector = new DistillationDetector(DetectionOptions.Default, context.TimeProvider);
        using ExchangeReader reader = ExchangeReader.Open(input, context, ExchangeFields.Account | ExchangeFields.Timestamp | ExchangeFields.Prompt, ExchangeFields.None, format);
        DetectionReport detection;
        AccountTable accounts;
        ReplaySession? session = null;
        if (replay)
        {
            session = RunReplay(reader, detector, context);
            detection = session.Finish();
            accounts = session.Accounts;
        }
        else
        {
            (accounts, detection, long analyses, TimeSpan analysisTime) = ParallelScanner.Run(reader, detector, Workers, ReplayAnalysisInterval);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scan: {analyses + 1:N0} analyses ({(Workers == 0 ? "one per hour of input time" : "in the background, each at the first hour boundary of input time after the previous one finished")}, and a final one) took {analysisTime.TotalSeconds:0.0} s."));
        }
        var summary = new InputSummary
        {
            Source = input,
            Format = reader.Format == InputFormat.Csv ? "csv" : "jsonl",
            Bytes = reader.BytesRead,
            Exchanges = reader.RecordsRead,
            Accounts = accounts.Count,
            Malformed = reader.MalformedLines,
        };
        ScanReport report = ScanReportBuilder.Build(detection, accounts, summary, session);
        JsonOutput.Write(output, context, report, ReportJsonContext.Relaxed.ScanReport);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        ScanSummaryWriter.WriteSummary(context.Error, "scan", report, accounts.OutOfOrder, elapsed);
        if (session is not null)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scan: replay of {FormatTime(session.StartTicks)} to {FormatTime(session.EndTicks)}: {session.Analyses:N0} analyses ({session.AnalysisTime.TotalSeconds:0.0} s)."));
        }
        ScanSummaryWriter.WriteCampaignTable(context.Error, report.Campaigns);
        return 0;
    }

    private ReplaySession RunReplay(ExchangeReader reader, DistillationDetector detector, CommandContext context)
    {
        using var spool = new TimeOrderedSpool(ReplayChunkChars);
        while (reader.MoveNext())
        {
            spool.Add(reader.Account, reader.Timestamp.UtcTicks, reader.Prompt);
        }
        long day = -1;
        var session = new ReplaySession(detector, ReplayAnalysisInterval)
        {
            AnalysisCompleted = context.ShowProgress
                ? (ticks, report) =>
                {
                    long today = ticks / TimeSpan.TicksPerDay;
                    if (today != day)
                    {
                        day = today;
                        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"scan: replay at {FormatTime(ticks)}: {report.Exchanges:N0} exchanges, {report.Campaigns.Count} campaigns, {report.Accounts.Count:N0} accounts flagged."));
                    }
                }
                : null,
        };
        spool.Drain(session);
        return session;
    }

    private static string FormatTime(long ticks) =>
        new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
