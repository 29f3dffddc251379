using DistillDetect.Cli;
using DistillDetect.Cli.Commands;

namespace DistillDetect.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public void Run_NoArguments_RunsTheDemoAtItsDefaults()
    {
        // DESIGN.md: no arguments = simulate at the default scale straight into the detector (the demo).
        // Running it here would take most of a minute; DemoCommandTests run it at a tiny scale.
        Assert.Equal(["demo"], CommandLine.NoArguments);
        Assert.Contains(CommandLine.Commands, c => c.Name == "demo");
    }

    [Fact]
    public void Run_UnknownCommand_NamesItAndReturns2()
    {
        var r = CliRunner.Run(null, "frobnicate", "x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown command 'frobnicate'", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Run_Help_PrintsUsageToStdoutAndReturns0(string arg)
    {
        var r = CliRunner.Run(null, arg);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("usage: distilldetect", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_ListsWholeContract()
    {
        foreach (string line in new[]
        {
            "fingerprint INPUT [--output FILE] [--hashes N]",
            "templates   INPUT [--threshold J] [--output FILE] [--assignments FILE]",
            "timing      INPUT [--output FILE]",
            "scan        INPUT [--output report.json] [--format jsonl|csv] [--replay]",
            "simulate    --output DIR [--seed N] [--scale F] [--evasion 0..3]",
            "evaluate    REPORT TRUTH",
        })
        {
            Assert.Contains(line, CommandLine.Usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Usage_ListsEveryRegisteredCommandsUsageLine()
    {
        foreach (ICommand c in CommandLine.Commands)
        {
            string afterName = c.UsageLine[c.Name.Length..].Trim();
            Assert.Contains(c.Name, CommandLine.Usage, StringComparison.Ordinal);
            Assert.Contains(afterName, CommandLine.Usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Run_CommandHelp_PrintsCommandUsageAndReturns0()
    {
        var r = CliRunner.Run(null, "evaluate", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("usage: distilldetect evaluate REPORT TRUTH", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UsageErrorInCommand_Returns2WithMessageAndCommandUsage()
    {
        var r = CliRunner.Run(null, "evaluate", "report.json", "truth.json", "--colour");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown option '--colour'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: distilldetect evaluate", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RuntimeFailure_Returns1WithOneLineAndNoStackTrace()
    {
        var r = CliRunner.Run(null, "evaluate", "/nonexistent/report.json", "/nonexistent/truth.json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error:", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
    }
}
