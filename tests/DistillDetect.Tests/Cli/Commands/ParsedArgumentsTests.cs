using DistillDetect.Cli.Commands;

namespace DistillDetect.Tests.Cli.Commands;

public sealed class ParsedArgumentsTests
{
    private static readonly ArgumentSyntax s_syntax = new(["INPUT"], 1, ["--output", "--hashes", "--threshold", "--format"], ["--replay"]);

    private static UsageException Error(params string[] args) =>
        Assert.Throws<UsageException>(() => ParsedArguments.Parse(args, s_syntax));

    [Fact]
    public void Parse_ValuesFlagsAndPositional_AreRead()
    {
        var p = ParsedArguments.Parse(["--output", "out.json", "in.jsonl", "--replay", "--hashes=64"], s_syntax);
        Assert.Equal(["in.jsonl"], p.Positionals);
        Assert.Equal("out.json", p.GetString("--output"));
        Assert.True(p.HasFlag("--replay"));
        Assert.Equal(64, p.GetInt32("--hashes", 128, 1, 4096));
        Assert.Equal(0.5, p.GetDouble("--threshold", 0.5, 0, 1));
        Assert.Null(p.GetString("--format"));
    }

    [Fact]
    public void Parse_Dash_IsPositionalStdin()
    {
        var p = ParsedArguments.Parse(["-"], s_syntax);
        Assert.Equal("-", p.GetPositional(0));
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var p = ParsedArguments.Parse(["--", "--weird-file-name"], s_syntax);
        Assert.Equal("--weird-file-name", p.GetPositional(0));
    }

    [Fact]
    public void Parse_UnknownOption_NamesIt() =>
        Assert.Contains("unknown option '--colour'", Error("in", "--colour").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_UnknownShortOption_NamesIt() =>
        Assert.Contains("unknown option '-x'", Error("in", "-x").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_MissingValue_SaysSo() =>
        Assert.Contains("'--output' needs a value", Error("in", "--output").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_RepeatedOption_IsError() =>
        Assert.Contains("given twice", Error("in", "--output", "a", "--output", "b").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_FlagWithValue_IsError() =>
        Assert.Contains("takes no value", Error("in", "--replay=yes").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_MissingPositional_NamesIt() =>
        Assert.Contains("missing INPUT", Error("--replay").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_ExtraPositional_NamesIt() =>
        Assert.Contains("unexpected argument 'b'", Error("a", "b").Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_HelpAnywhere_SkipsPositionalCheck() =>
        Assert.True(ParsedArguments.Parse(["--help"], s_syntax).HelpRequested);

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("5000")]
    [InlineData("1.5")]
    [InlineData("")]
    public void GetInt32_InvalidOrOutOfRange_NamesOptionRangeAndValue(string value)
    {
        var p = ParsedArguments.Parse(["in", "--hashes", value], s_syntax);
        var e = Assert.Throws<UsageException>(() => p.GetInt32("--hashes", 128, 1, 4096));
        Assert.Contains("'--hashes' must be an integer from 1 to 4096", e.Message, StringComparison.Ordinal);
        Assert.Contains($"got '{value}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("0,5")]
    public void GetDouble_InvalidOrOutOfRange_IsUsageError(string value)
    {
        var p = ParsedArguments.Parse(["in", "--threshold", value], s_syntax);
        var e = Assert.Throws<UsageException>(() => p.GetDouble("--threshold", 0.5, 0, 1));
        Assert.Contains("'--threshold' must be a number from 0 to 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetDouble_NegativeValueAfterOption_IsValueNotOption()
    {
        var syntax = new ArgumentSyntax(["INPUT"], 1, ["--shift"], []);
        var p = ParsedArguments.Parse(["in", "--shift", "-2.5"], syntax);
        Assert.Equal(-2.5, p.GetDouble("--shift", 0, -10, 10));
    }

    [Fact]
    public void GetChoice_OutsideSet_IsUsageError()
    {
        var p = ParsedArguments.Parse(["in", "--format", "xml"], s_syntax);
        var e = Assert.Throws<UsageException>(() => p.GetChoice("--format", "jsonl", "csv"));
        Assert.Contains("must be one of jsonl, csv; got 'xml'", e.Message, StringComparison.Ordinal);
        Assert.Equal("csv", ParsedArguments.Parse(["in", "--format", "CSV"], s_syntax).GetChoice("--format", "jsonl", "csv"));
    }
}
