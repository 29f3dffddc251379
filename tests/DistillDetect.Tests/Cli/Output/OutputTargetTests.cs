using System.Text;
using System.Text.Json;
using DistillDetect.Cli;
using DistillDetect.Cli.Output;

namespace DistillDetect.Tests.Cli.Output;

public sealed class OutputTargetTests
{
    [Fact]
    public void Open_File_InvisibleUntilCommitThenReplacesOldFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("out.json", "old");
        using CommandContext context = CliRunner.Context([], out MemoryStream stdout, out _);
        using (OutputTarget target = OutputTarget.Open(path, context))
        {
            target.Stream.Write("new"u8);
            target.Stream.Flush();
            Assert.Equal("old", File.ReadAllText(path));
            target.Commit();
        }
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
        Assert.Equal(0, stdout.Length);
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNoFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.json");
        using CommandContext context = CliRunner.Context([], out _, out _);
        using (OutputTarget target = OutputTarget.Open(path, context))
        {
            target.Stream.Write("partial"u8);
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Open_NullOrDash_WritesToStdoutAfterPendingText()
    {
        using CommandContext context = CliRunner.Context([], out MemoryStream stdout, out _);
        context.Out.Write("text first\n");
        using (OutputTarget target = OutputTarget.Open("-", context))
        {
            target.Stream.Write("bytes second\n"u8);
            target.Commit();
        }
        Assert.Equal("text first\nbytes second\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public void JsonLinesWriter_ManyRecords_OneValidCompactObjectPerLine()
    {
        using var stream = new MemoryStream();
        using (var lines = new JsonLinesWriter(stream))
        {
            for (int i = 1; i <= 5000; i++)
            {
                Utf8JsonWriter w = lines.Writer;
                w.WriteStartObject();
                w.WriteNumber("line"u8, i);
                w.WriteString("template"u8, "t-é-\"" + i);
                w.WriteEndObject();
                lines.EndRecord();
            }
            Assert.Equal(5000, lines.Count);
        }
        string[] output = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(5001, output.Length);
        Assert.Equal("", output[^1]);
        for (int i = 0; i < 5000; i++)
        {
            using var doc = JsonDocument.Parse(output[i]);
            Assert.Equal(i + 1, doc.RootElement.GetProperty("line").GetInt32());
            Assert.Equal("t-é-\"" + (i + 1), doc.RootElement.GetProperty("template").GetString());
        }
        Assert.Equal("{\"line\":1,\"template\":\"t-é-\\\"1\"}", output[0]);
    }
}
