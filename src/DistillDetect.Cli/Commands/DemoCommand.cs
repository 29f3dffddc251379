using System.Globalization;
using DistillDetect.Cli.Reports;
using DistillDetect.Cli.Scanning;
using DistillDetect.Cli.Simulation;
using DistillDetect.Detection;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// <c>distilldetect</c> with no arguments, or <c>distilldetect demo [--seed N] [--scale F] [--evasion 0..3] [--analyze-every HOURS]</c>:
/// simulates traffic at the default scale straight into the detector (no file), analyzes every simulated hour
/// as <c>scan --replay</c> does (or every HOURS: at <c>--scale 1</c>, 2.3 million accounts make an hourly analysis
/// the run's whole cost), and prints the campaigns found and the evaluation against the simulator's
/// truth (precision, recall, F1, hard negatives flagged, time to first alert, share served before flagging).
/// </summary>
/// <remarks>See <see cref="SimulatedDetection"/> for memory and determinism. Output goes to stdout; progress (one
/// line per simulated day) to stderr when progress is on.</remarks>
internal sealed class DemoCommand : ICommand
{
    private static readonly ArgumentSyntax s_syntax = new([], 0, ["--seed", "--scale", "--evasion", "--analyze-every", "--workers"], []);

    /// <inheritdoc/>
    public string Name => "demo";

    /// <inheritdoc/>
    public string UsageLine => "demo [--seed N] [--scale F] [--evasion 0..3] [--analyze-every HOURS] [--workers N]";

    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Simulates six weeks of API traffic with hidden distillation campaigns and hard negatives (the simulate " +
        $"command's model; --seed N default 1, --scale F default {SimulationOptions.DefaultScale}, --evasion 0..3 default 0), " +
        $"streams it into the detector without a file, analyzes every simulated hour (--analyze-every HOURS, 1 to 168, default 1), " +
        $"and prints the campaigns found, the evaluation against the simulation's truth, the wall time and the peak working set. " +
        $"--workers N (0 to 64, default 0) feeds N observing threads with the analyses in the background, as scan does: faster on " +
        $"several cores (for --scale 1), without the replay figures (time to first alert, share served before flagging). " +
        $"This is what 'distilldetect' with no arguments runs.");

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(args, s_syntax);
        if (parsed.HelpRequested)
        {
            return CommandLine.PrintHelp(this, context);
        }
        long seed = parsed.GetInt64("--seed", 1, long.MinValue, long.MaxValue);
        double scale = SimulateCommand.GetScale(parsed);
        int evasion = parsed.GetInt32("--evasion", 0, 0, SimulationOptions.MaxEvasion);
        int everyHours = parsed.GetInt32("--analyze-every", 1, 1, 168);
        int workers = parsed.GetInt32("--workers", 0, 0, 64);
        var options = new SimulationOptions { Seed = seed, Scale = scale, Evasion = evasion };
        SimulationCounts counts = TrafficSimulator.EstimateCounts(options);
        CultureInfo c = CultureInfo.InvariantCulture;
        TextWriter o = context.Out;
        o.WriteLine(string.Create(c,
            $"distilldetect demo: simulating {counts.TotalExchanges:N0} exchanges from {counts.TotalAccounts:N0} accounts over six weeks " +
            $"({counts.CampaignAccounts:N0} campaign accounts; seed {seed}, scale {scale}, evasion {evasion}), streamed into the detector, " +
            $"analyzed every {(everyHours == 1 ? "simulated hour" : everyHours.ToString(c) + " simulated hours")}" +
            $"{(workers == 0 ? "." : " in the background while " + workers.ToString(c) + " threads observe.")}"));
        o.Flush();

        long day = -1;
        Action<long, DetectionReport>? progress = context.ShowProgress
            ? (ticks, report) =>
            {
                long today = ticks / TimeSpan.TicksPerDay;
                if (today != day)
                {
                    day = today;
                    context.Error.WriteLine(string.Create(c,
                        $"demo: {new DateTime(ticks, DateTimeKind.Utc):yyyy-MM-dd HH:mm}: {report.Exchanges:N0} exchanges, {report.Campaigns.Count} campaigns, {report.Accounts.Count:N0} accounts flagged."));
                }
            }
            : null;
        SimulatedDetectionResult result = SimulatedDetection.Run(options, DetectionOptions.Default, progress, TimeSpan.FromHours(everyHours), workers);
        ScanReport report = result.Report;

        o.WriteLine();
        o.WriteLine(string.Create(c, $"campaigns found: {report.Campaigns.Count}, accounts flagged: {report.Accounts.Count:N0}"));
        ScanSummaryWriter.WriteCampaignTable(o, report.Campaigns);
        o.WriteLine();
        o.WriteLine("evaluation against the simulation's truth:");
        EvaluateCommand.WriteText(result.Evaluation, o);
        o.WriteLine();
        double seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-9);
        o.WriteLine(string.Create(c,
            $"{report.Input.Exchanges:N0} exchanges in {result.Elapsed.TotalSeconds:0.0} s ({report.Input.Exchanges / seconds:N0} exchanges/s; " +
            $"{result.Analyses:N0} analyses took {result.AnalysisTime.TotalSeconds:0.0} s; peak working set {result.PeakWorkingSetBytes / (1024.0 * 1024.0):N0} MiB). " +
            $"The same run from files: distilldetect simulate --output DIR --seed {seed} --scale {scale} --evasion {evasion}; " +
            $"distilldetect scan DIR/traffic.jsonl --replay --output report.json; distilldetect evaluate report.json DIR/truth.json"));
        return 0;
    }
}
