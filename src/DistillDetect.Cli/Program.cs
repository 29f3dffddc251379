namespace DistillDetect.Cli;

/// <summary>Entry point of the <c>distilldetect</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args) => CommandLine.Run(args, Console.In, Console.Out, Console.Error);
}
