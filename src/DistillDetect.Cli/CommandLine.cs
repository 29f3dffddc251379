using DistillDetect.Cli.Commands;

namespace DistillDetect.Cli;

/// <summary>Dispatches the command-line contract of DESIGN.md to one class per command.</summary>
internal static class CommandLine
{
    /// <summary>The program's usage text: the whole command-line contract.</summary>
    internal const string Usage = """
        usage: distilldetect <command> [options]

        commands (INPUT is a file or - for stdin; JSON Lines or CSV, optionally .gz):
          fingerprint INPUT [--output FILE] [--hashes N]
                      MinHash signature per prompt, as JSON Lines {"id", "signature"}
          templates   INPUT [--threshold J] [--output FILE] [--assignments FILE]
                      group prompts into templates, as JSON {"templates": [...]}
          timing      INPUT [--output FILE] [--format jsonl|csv]
                      timing statistics per account, as JSON Lines
          scan        INPUT [--output report.json] [--format jsonl|csv] [--replay]
                      detect distillation campaigns; report as JSON, summary on stderr
          simulate    --output DIR [--seed N] [--scale F] [--evasion 0..3] [--tasks FILE] [--legit FILE]
                      write simulated traffic.jsonl and truth.json
          evaluate    REPORT TRUTH [--json] [--output FILE]
                      account-level precision, recall and F1 of a scan report against truth.json
          demo        [--seed N] [--scale F] [--evasion 0..3] [--analyze-every HOURS] [--workers N]
                      simulate straight into the detector and print campaigns and evaluation
                      (what 'distilldetect' with no arguments runs)

        input lines: {"account": "...", "timestamp": ISO-8601 or Unix seconds/milliseconds, "prompt": "...", "id": ...}
        times are converted to UTC (a time without an offset is taken as UTC); input need not be sorted.
        malformed lines are reported on stderr by line number and skipped; the rest is processed.
        exit codes: 0 ok, 1 runtime failure, 2 usage error.
        'distilldetect <command> --help' shows one command's usage.
        """;

    /// <summary>What a run without arguments means: the demo at its defaults (DESIGN.md's main-job command).</summary>
    internal static readonly string[] NoArguments = ["demo"];

    /// <summary>The commands this build provides, by name.</summary>
    internal static IReadOnlyList<ICommand> Commands { get; } =
    [
        new FingerprintCommand(),
        new TemplatesCommand(),
        new EvaluateCommand(),
        new TimingCommand(),
        new SimulateCommand(),
        new ScanCommand(),
        new DemoCommand(),
    ];

    /// <summary>
    /// Runs one command line; returns the process exit code (0 ok, 1 runtime failure, 2 usage error).
    /// Errors are written to <see cref="CommandContext.Error"/> as one line, never a stack trace.
    /// </summary>
    public static int Run(IReadOnlyList<string> args, CommandContext context)
    {
        try
        {
            return Dispatch(args, context);
        }
        finally
        {
            context.FlushOut();
            context.Error.Flush();
        }
    }

    private static int Dispatch(IReadOnlyList<string> args, CommandContext context)
    {
        if (args.Count == 0)
        {
            // The main-job command: a newcomer sees the whole detection work in one run.
            args = NoArguments;
        }
        if (args[0] is "-h" or "--help" or "help")
        {
            context.Out.WriteLine(Usage);
            return 0;
        }
        ICommand? command = Find(args[0]);
        if (command is null)
        {
            context.Error.WriteLine($"distilldetect: unknown command '{args[0]}'.");
            context.Error.WriteLine(Usage);
            return 2;
        }
        string[] rest = new string[args.Count - 1];
        for (int i = 1; i < args.Count; i++)
        {
            rest[i - 1] = args[i];
        }
        try
        {
            return command.Run(rest, context);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"distilldetect {command.Name}: {e.Message}");
            context.Error.WriteLine($"usage: distilldetect {command.UsageLine}");
            return 2;
        }
#pragma warning disable CA1031 // The program's last line of defence: any failure becomes one clear line and exit code 1.
        catch (Exception e)
#pragma warning restore CA1031
        {
            context.Error.WriteLine($"distilldetect {command.Name}: error: {Describe(e)}");
            return 1;
        }
    }

    /// <summary>Prints a command's usage and description (for <c>--help</c>); returns exit code 0.</summary>
    internal static int PrintHelp(ICommand command, CommandContext context)
    {
        context.Out.WriteLine($"usage: distilldetect {command.UsageLine}");
        context.Out.WriteLine();
        context.Out.WriteLine(command.Description);
        return 0;
    }

    private static ICommand? Find(string name)
    {
        foreach (ICommand c in Commands)
        {
            if (string.Equals(c.Name, name, StringComparison.Ordinal))
            {
                return c;
            }
        }
        return null;
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException f when f.FileName is not null => $"file not found: {f.FileName}",
        DirectoryNotFoundException d => d.Message,
        _ when e.InnerException is not null && e is AggregateException => Describe(e.InnerException),
        _ => e.Message,
    };
}
