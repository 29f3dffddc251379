namespace DistillDetect.Cli;

/// <summary>Entry point of the <c>distilldetect</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        using CommandContext context = CommandContext.CreateForConsole();
        return CommandLine.Run(args, context);
    }
}
