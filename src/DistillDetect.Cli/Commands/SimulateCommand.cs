using System.Globalization;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// <c>distilldetect simulate --output DIR [--seed N] [--scale F] [--evasion 0..3] [--tasks FILE] [--legit FILE]</c>:
/// writes simulated traffic (<c>DIR/traffic.jsonl</c>) and its ground truth (<c>DIR/truth.json</c>) with
/// <see cref="SimulationWriter"/>; progress and a one-line summary go to stderr.
/// </summary>
/// <remarks>
/// Streaming: memory is O(accounts) (the simulator's per-account generators, about 140 bytes each), never
/// O(traffic). Time is O(exchanges x prompt length). The same options give byte-identical files on every
/// machine. The command keeps no state between runs.
/// </remarks>
internal sealed class SimulateCommand : ICommand
{
    private static readonly ArgumentSyntax s_syntax = new([], 0, ["--output", "--seed", "--scale", "--evasion", "--tasks", "--legit"], []);

    /// <inheritdoc/>
    public string Name => "simulate";

    /// <inheritdoc/>
    public string UsageLine => "simulate --output DIR [--seed N] [--scale F] [--evasion 0..3] [--tasks FILE] [--legit FILE]";

    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Writes simulated API traffic to DIR/{SimulationWriter.TrafficFileName} (JSON Lines: account, timestamp, prompt) and " +
        $"its ground truth to DIR/{SimulationWriter.TruthFileName} ({{\"campaign_accounts\", \"campaigns\", \"hard_negative_groups\"}}): " +
        $"distillation campaigns hidden among ordinary users and hard negatives over six weeks from 2026-04-22. " +
        $"--seed N (default 1) fixes every random choice; --scale F in (0, {SimulationOptions.MaxScale}] sizes the run " +
        $"(default {SimulationOptions.DefaultScale}; 1 = 25,000 campaign accounts and 28.8 M campaign exchanges among ten times " +
        $"as much legitimate traffic); --evasion 0..3 (default 0) sets how hard campaigns disguise themselves; --tasks FILE and " +
        $"--legit FILE (JSON Lines with a string \"prompt\", optionally .gz) replace the built-in campaign tasks and " +
        $"legitimate prompts. DIR is created if needed; existing files are overwritten.");

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(args, s_syntax);
        if (parsed.HelpRequested)
        {
            return CommandLine.PrintHelp(this, context);
        }
        string directory = parsed.GetString("--output") ?? throw new UsageException("missing option '--output DIR'.");
        if (directory.Length == 0 || directory == "-")
        {
            throw new UsageException($"option '--output' must name a directory; got '{directory}'.");
        }
        long seed = parsed.GetInt64("--seed", 1, long.MinValue, long.MaxValue);
        double scale = GetScale(parsed);
        int evasion = parsed.GetInt32("--evasion", 0, 0, SimulationOptions.MaxEvasion);
        IReadOnlyList<string>? tasks = ReadPrompts(parsed.GetString("--tasks"), "--tasks", context);
        IReadOnlyList<string>? legit = ReadPrompts(parsed.GetString("--legit"), "--legit", context);

        long start = context.TimeProvider.GetTimestamp();
        var simulator = new TrafficSimulator(new SimulationOptions
        {
            Seed = seed,
            Scale = scale,
            Evasion = evasion,
            TaskPrompts = tasks,
            LegitPrompts = legit,
        });
        SimulationCounts counts = simulator.Counts;
        Action<long>? progress = context.ShowProgress
            ? written => context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"simulate: {written:N0} of {counts.TotalExchanges:N0} exchanges ({100.0 * written / counts.TotalExchanges:0} %), {context.TimeProvider.GetElapsedTime(start).TotalSeconds:0.0} s"))
            : null;
        long exchanges = SimulationWriter.WriteDirectory(simulator, directory, progress);
        TimeSpan elapsed = context.TimeProvider.GetElapsedTime(start);

        string trafficPath = Path.Combine(directory, SimulationWriter.TrafficFileName);
        long trafficBytes = new FileInfo(trafficPath).Length;
        long truthBytes = new FileInfo(Path.Combine(directory, SimulationWriter.TruthFileName)).Length;
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate: {exchanges:N0} exchanges, {counts.TotalAccounts:N0} accounts, {counts.CampaignAccounts:N0} campaign accounts " +
            $"(seed {seed}, scale {scale}, evasion {evasion}): {trafficPath} {trafficBytes / 1e6:0.0} MB, " +
            $"{SimulationWriter.TruthFileName} {truthBytes / 1e3:0.0} kB, {elapsed.TotalSeconds:0.0} s."));
        return 0;
    }

    // The scale must be positive: parsed here rather than by GetDouble so the message states the open bound.
    internal static double GetScale(ParsedArguments parsed)
    {
        string? text = parsed.GetString("--scale");
        if (text is null)
        {
            return SimulationOptions.DefaultScale;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !(value > 0) || value > SimulationOptions.MaxScale)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"option '--scale' must be a number above 0 and at most {SimulationOptions.MaxScale}; got '{text}'."));
        }
        return value;
    }

    private static List<string>? ReadPrompts(string? path, string option, CommandContext context)
    {
        if (path is null)
        {
            return null;
        }
        if (path.Length == 0 || path == "-")
        {
            throw new UsageException($"option '{option}' must name a JSON Lines file; got '{path}'.");
        }
        var skipped = new List<long>();
        List<string> prompts = PromptListReader.Read(path, skipped);
        if (skipped.Count > 0)
        {
            const int Shown = 10;
            string lines = string.Join(", ", skipped.Take(Shown).Select(n => n.ToString(CultureInfo.InvariantCulture)));
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {skipped.Count:N0} line{(skipped.Count == 1 ? "" : "s")} without a string \"prompt\" skipped (line{(skipped.Count == 1 ? "" : "s")} {lines}{(skipped.Count > Shown ? ", ..." : "")})."));
        }
        if (context.ShowProgress)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{option}: {prompts.Count:N0} prompts from {path}."));
        }
        return prompts;
    }
}
