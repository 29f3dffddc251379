using System.Diagnostics;
using System.Globalization;
using DistillDetect.Cli.Reports;
using DistillDetect.Cli.Simulation;
using DistillDetect.Detection;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// Simulates traffic straight into a detector (no file), replay-style (an analysis every simulated hour,
/// first flags recorded), and evaluates the result against the simulator's own truth. The no-argument
/// <c>distilldetect</c> run and the evaluation harness in the tests both use it.
/// </summary>
/// <remarks>
/// Memory: the simulator's per-account generators (about 140 bytes per account), the detector (bounded by
/// <see cref="DetectionOptions.MaxAccounts"/>) and the replay tallies (about 100 bytes per account); never the
/// traffic beyond the few batches the simulator runs ahead (<see cref="ReadAhead"/>). Deterministic for given options
/// with no workers: one observing and analyzing thread, exchanges in the simulator's time order.
/// </remarks>
internal static class SimulatedDetection
{
    /// <summary>Runs the simulation through the detector and evaluates it.</summary>
    /// <param name="simulation">The simulation to run.</param>
    /// <param name="detection">Detector options; the defaults when null.</param>
    /// <param name="onAnalysis">Called after every analysis with its time (UTC ticks) and report (with workers, on the analysis's thread).</param>
    /// <param name="analysisInterval">Simulated time between analyses; null for <see cref="ScanInterval"/> (one hour).</param>
    /// <param name="workers">0 (default): one thread, replay-style, deterministic, first flags recorded. Above 0: the
    /// simulator feeds that many observing threads as <c>scan</c>'s plain path does (<see cref="ParallelScanner"/>:
    /// each account on one thread, analyses in the background after the workers drain at a boundary); faster on
    /// several cores, but the report has no replay figures (no first flags) and the flags can differ at the margin
    /// from run to run.</param>
    public static SimulatedDetectionResult Run(SimulationOptions simulation, DetectionOptions? detection = null,
        Action<long, DetectionReport>? onAnalysis = null, TimeSpan? analysisInterval = null, int workers = 0)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        long started = Stopwatch.GetTimestamp();
        var simulator = new TrafficSimulator(simulation);
        var detector = new DistillationDetector(detection ?? DetectionOptions.Default);
        TimeSpan interval = analysisInterval ?? ScanInterval;
        DetectionReport final;
        AccountTable accounts;
        ReplaySession? session = null;
        long characters, analyses;
        TimeSpan analysisTime;
        if (workers == 0)
        {
            session = new ReplaySession(detector, interval) { AnalysisCompleted = onAnalysis };
            characters = 0;
            foreach (SimulatedExchange e in ReadAhead.Of(simulator))
            {
                session.Observe(e.Account, e.Timestamp.UtcTicks, e.Prompt);
                characters += e.Account.Length + e.Prompt.Length;
            }
            final = session.Finish();
            accounts = session.Accounts;
            analyses = session.Analyses;
            analysisTime = session.AnalysisTime;
        }
        else
        {
            using var source = new SimulatedSource(simulator);
            (accounts, final, analyses, analysisTime) = ParallelScanner.Run(source, detector, workers, interval, analysisCompleted: onAnalysis);
            analyses++;
            characters = source.Characters;
        }
        var input = new InputSummary
        {
            Source = string.Create(CultureInfo.InvariantCulture,
                $"simulation (seed {simulation.Seed}, scale {simulation.Scale}, evasion {simulation.Evasion}{(simulation.TaskPrompts is null ? "" : ", task prompt list")}{(simulation.LegitPrompts is null ? "" : ", legitimate prompt list")})"),
            Format = "simulation",
            Bytes = characters,
            Exchanges = accounts.Exchanges,
            Accounts = accounts.Count,
            Malformed = 0,
        };
        ScanReport report = ScanReportBuilder.Build(final, accounts, input, session);
        EvaluationResult evaluation = Evaluator.Evaluate(report, TruthOf(simulator));
        return new SimulatedDetectionResult(report, evaluation, simulator.Counts, Stopwatch.GetElapsedTime(started), analyses, analysisTime,
            PeakWorkingSet());
    }

    private static long PeakWorkingSet()
    {
        using Process self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>The analysis interval of a simulation run (the same as <c>scan --replay</c>).</summary>
    public static TimeSpan ScanInterval => Commands.ScanCommand.ReplayAnalysisInterval;

    /// <summary>The simulator's truth in the form <c>evaluate</c> reads (through the same truth.json writer and loader).</summary>
    public static GroundTruth TruthOf(TrafficSimulator simulator)
    {
        using var buffer = new MemoryStream();
        SimulationWriter.WriteTruth(simulator.Truth, buffer);
        buffer.Position = 0;
        return GroundTruth.Load(buffer, "simulation truth");
    }
}
