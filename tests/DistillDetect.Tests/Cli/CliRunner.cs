using System.Text;
using DistillDetect.Cli;

namespace DistillDetect.Tests.Cli;

/// <summary>Runs the CLI in-process on memory streams and captures exit code, stdout and stderr.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string? stdin, params string[] args) =>
        RunBytes(stdin is null ? [] : Encoding.UTF8.GetBytes(stdin), args);

    public static Result RunBytes(byte[] stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        int code;
        using (var context = new CommandContext(input, output, error))
        {
            code = CommandLine.Run(args, context);
        }
        return new Result(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    public static CommandContext Context(byte[] stdin, out MemoryStream stdout, out StringWriter stderr, bool progress = false, TimeProvider? time = null)
    {
        stdout = new MemoryStream();
        stderr = new StringWriter();
        return new CommandContext(new MemoryStream(stdin), stdout, stderr, progress, time);
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dd-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the test advances by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
