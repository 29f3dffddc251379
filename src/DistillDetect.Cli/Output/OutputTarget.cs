namespace DistillDetect.Cli.Output;

/// <summary>
/// Where a command's result goes: a file given by <c>--output</c>, or standard output when none (or <c>-</c>).
/// A file is written to a temporary sibling and renamed over the target by <see cref="Commit"/>, so a
/// failed run never leaves a half-written result in place (the temporary file is deleted on dispose).
/// </summary>
/// <remarks>Not thread-safe. Dispose without <see cref="Commit"/> discards a file result.</remarks>
internal sealed class OutputTarget : IDisposable
{
    private readonly string? _path;
    private readonly string? _temporaryPath;
    private readonly Stream _stream;
    private bool _committed;

    private OutputTarget(string? path, string? temporaryPath, Stream stream)
    {
        _path = path;
        _temporaryPath = temporaryPath;
        _stream = stream;
    }

    /// <summary>The byte stream to write the result to (buffered for files).</summary>
    public Stream Stream => _stream;

    /// <summary>The target as shown to the user: the path, or <c>stdout</c>.</summary>
    public string DisplayName => _path ?? "stdout";

    /// <summary>Whether the result goes to standard output.</summary>
    public bool IsStandardOutput => _path is null;

    /// <summary>
    /// Opens the target. <paramref name="path"/> null or <c>-</c> means standard output (its pending text
    /// is flushed first so output keeps its order). Throws IO exceptions when the directory is missing or
    /// not writable.
    /// </summary>
    public static OutputTarget Open(string? path, CommandContext context)
    {
        if (path is null || path == "-")
        {
            context.FlushOut();
            return new OutputTarget(null, null, context.StandardOutput);
        }
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        return new OutputTarget(path, temporary, stream);
    }

    /// <summary>Flushes everything written and, for a file, moves it into place (replacing an old file).</summary>
    public void Commit()
    {
        if (_committed)
        {
            return;
        }
        _stream.Flush();
        if (_temporaryPath is not null)
        {
            _stream.Dispose();
            File.Move(_temporaryPath, _path!, overwrite: true);
        }
        _committed = true;
    }

    /// <summary>Closes a file target; an uncommitted file result is deleted. Standard output stays open.</summary>
    public void Dispose()
    {
        if (_temporaryPath is null)
        {
            _stream.Flush();
            return;
        }
        _stream.Dispose();
        if (!_committed)
        {
            try
            {
                File.Delete(_temporaryPath);
            }
            catch (IOException)
            {
                // Best effort: a stray temporary file is harmless and named as one.
            }
        }
    }
}
