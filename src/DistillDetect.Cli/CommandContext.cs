using System.Text;

namespace DistillDetect.Cli;

/// <summary>
/// The process surroundings a command runs in: standard streams, whether progress is shown and the clock.
/// Commands never touch <see cref="Console"/> directly, so tests run them in-process on memory streams.
/// </summary>
/// <remarks>
/// <see cref="Out"/> is a text view over <see cref="StandardOutput"/>; code that writes raw bytes to
/// <see cref="StandardOutput"/> (JSON output) calls <see cref="FlushOut"/> first so text and bytes keep their
/// order. Not thread-safe: one command runs on one thread.
/// </remarks>
internal sealed class CommandContext : IDisposable
{
    private static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private StreamWriter? _out;

    /// <summary>Creates a context over the given streams.</summary>
    /// <param name="standardInput">Bytes read when a command's input is <c>-</c>.</param>
    /// <param name="standardOutput">Where results go when no <c>--output</c> file is given.</param>
    /// <param name="standardError">Diagnostics: malformed lines, progress, summaries, errors.</param>
    /// <param name="showProgress">Whether long inputs print progress and a final summary on stderr.</param>
    /// <param name="timeProvider">Clock for progress timing; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="errorIsTerminal">Whether progress may redraw one line with a carriage return.</param>
    public CommandContext(Stream standardInput, Stream standardOutput, TextWriter standardError,
        bool showProgress = false, TimeProvider? timeProvider = null, bool errorIsTerminal = false)
    {
        StandardInput = standardInput;
        StandardOutput = standardOutput;
        Error = standardError;
        ShowProgress = showProgress;
        TimeProvider = timeProvider ?? TimeProvider.System;
        ErrorIsTerminal = errorIsTerminal;
    }

    /// <summary>Standard input as bytes (read by <c>-</c> inputs).</summary>
    public Stream StandardInput { get; }

    /// <summary>Standard output as bytes (JSON results are written here without a text layer).</summary>
    public Stream StandardOutput { get; }

    /// <summary>Standard output as UTF-8 text (no BOM), created on first use.</summary>
    public TextWriter Out => _out ??= new StreamWriter(StandardOutput, s_utf8NoBom, 1 << 16, leaveOpen: true);

    /// <summary>Standard error as text.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether progress lines and the final input summary are written to <see cref="Error"/>.</summary>
    public bool ShowProgress { get; }

    /// <summary>Whether <see cref="Error"/> is an interactive terminal (progress then redraws one line).</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>The clock used for progress (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Creates the context of the real process: console streams, progress on.</summary>
    public static CommandContext CreateForConsole() => new(
        Console.OpenStandardInput(),
        Console.OpenStandardOutput(),
        Console.Error,
        showProgress: true,
        TimeProvider.System,
        errorIsTerminal: !Console.IsErrorRedirected);

    /// <summary>Flushes buffered <see cref="Out"/> text to <see cref="StandardOutput"/>.</summary>
    public void FlushOut()
    {
        _out?.Flush();
        StandardOutput.Flush();
    }

    /// <summary>Flushes the text writers; the streams themselves belong to the caller.</summary>
    public void Dispose()
    {
        FlushOut();
        Error.Flush();
        _out?.Dispose();
        _out = null;
    }
}
