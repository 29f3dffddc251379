using DistillDetect.Cli.Reports;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Cli.Scanning;

/// <summary>What one in-process simulated detection run produced.</summary>
/// <param name="Report">The report: with no workers the replay report <c>scan --replay</c> would write for the same traffic, with workers the plain <c>scan</c> one.</param>
/// <param name="Evaluation">The report scored against the simulator's truth.</param>
/// <param name="Counts">The simulator's planned counts.</param>
/// <param name="Elapsed">Wall time of the whole run (simulation, detection, analyses, evaluation).</param>
/// <param name="Analyses">Analyses run, the final one included.</param>
/// <param name="AnalysisTime">Time spent in the analyses.</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set when the run ended (the whole process, not only this run).</param>
internal sealed record SimulatedDetectionResult(
    ScanReport Report,
    EvaluationResult Evaluation,
    SimulationCounts Counts,
    TimeSpan Elapsed,
    long Analyses,
    TimeSpan AnalysisTime,
    long PeakWorkingSetBytes);
