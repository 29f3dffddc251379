using System.Text.Json;
using DistillDetect.Fingerprints;

namespace DistillDetect.Tests.Cli;

public sealed class FingerprintCommandTests
{
    [Fact]
    public void Run_JsonLinesWithMalformedLine_WritesSignaturesAndReportsLine()
    {
        const string Input = """
            {"id": "a", "prompt": "Write a function to reverse a list."}
            {"prompt": 17}
            {"prompt": "Write a function to reverse a list."}
            not json
            {"id": 42, "prompt": "Explain quicksort."}
            """;
        var result = CliRunner.Run(Input, "fingerprint", "-", "--hashes", "64");
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Equal("a", first.RootElement.GetProperty("id").GetString());
        Assert.Equal(3, second.RootElement.GetProperty("id").GetInt64()); // no id: the 1-based line number
        Assert.Equal("42", third.RootElement.GetProperty("id").GetString());
        uint[] expected = new MinHasher(new MinHashOptions { HashCount = 64 }).Compute("Write a function to reverse a list.");
        Assert.Equal(expected, first.RootElement.GetProperty("signature").EnumerateArray().Select(e => e.GetUInt32()));
        Assert.Equal(expected, second.RootElement.GetProperty("signature").EnumerateArray().Select(e => e.GetUInt32()));
        Assert.Contains("line 2", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CsvFileToOutputFile_DefaultHashCount()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("in.csv", "id,prompt\r\nx1,\"Hello, \"\"world\"\"\nsecond line\"\r\nx2,plain\r\n");
        string output = dir.File("out.jsonl");
        var result = CliRunner.Run(null, "fingerprint", input, "--output", output);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(2, lines.Length);
        using var doc = JsonDocument.Parse(lines[0]);
        Assert.Equal("x1", doc.RootElement.GetProperty("id").GetString());
        Assert.Equal(128, doc.RootElement.GetProperty("signature").GetArrayLength());
    }

    [Fact]
    public void Run_EmptyInput_WritesNothing()
    {
        var result = CliRunner.Run("", "fingerprint", "-");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("--hashes", "0")]
    [InlineData("--hashes", "abc")]
    [InlineData("--bogus", "1")]
    public void Run_BadOption_UsageError(string option, string value)
    {
        var result = CliRunner.Run("", "fingerprint", "-", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
    }
}
