using System.Text.RegularExpressions;

namespace DistillDetect.Tests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_TinyScale_PrintsCampaignsAndTheEvaluation()
    {
        CliRunner.Result r = CliRunner.Run(null, "demo", "--scale", "0.0001", "--seed", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("distilldetect demo: simulating", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("campaigns found:", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"precision (\d\.\d{4}|n/a)  recall \d\.\d{4}  F1 (\d\.\d{4}|n/a)"), r.Stdout);
        Assert.Contains("hard negatives flagged:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("time to first campaign alert:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("campaign exchanges served before flagging:", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--evasion", "4", "--evasion")]
    [InlineData("--scale", "0", "--scale")]
    [InlineData("--scale", "abc", "--scale")]
    [InlineData("--input", "x", "--input")]
    public void Demo_BadOption_Exits2NamingIt(string option, string value, string named)
    {
        CliRunner.Result r = CliRunner.Run(null, "demo", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Stderr, StringComparison.Ordinal);
    }
}
