namespace DistillDetect.Cli.Commands;

/// <summary>One command of the <c>distilldetect</c> program (one class per command).</summary>
internal interface ICommand
{
    /// <summary>The word that selects the command, e.g. <c>evaluate</c>.</summary>
    string Name { get; }

    /// <summary>The command's synopsis after the program name, e.g. <c>evaluate REPORT TRUTH [--json]</c>.</summary>
    string UsageLine { get; }

    /// <summary>One sentence saying what the command does (shown by <c>--help</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Runs the command with the arguments after its name. Returns the exit code (0 ok). Throws
    /// <see cref="UsageException"/> for a usage error (exit 2); any other exception is a runtime failure
    /// (exit 1) reported by <see cref="CommandLine"/> as one clear line without a stack trace.
    /// </summary>
    int Run(IReadOnlyList<string> args, CommandContext context);
}
