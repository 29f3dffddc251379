namespace DistillDetect.Cli;

/// <summary>Dispatches the command-line contract of DESIGN.md to one class per command.</summary>
internal static class CommandLine
{
    internal const string Usage = """
        usage: distilldetect <command> [options]

        commands:
          fingerprint INPUT|- [--output FILE] [--hashes N]
          templates   INPUT|- [--threshold J] [--output FILE] [--assignments FILE]
        """;

    /// <summary>Runs one command; returns the process exit code (0 ok, 1 failure, 2 usage error).</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        stderr.WriteLine($"distilldetect: unknown command '{args[0]}'.");
        stderr.WriteLine(Usage);
        return 2;
    }
}
