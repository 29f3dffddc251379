using System.IO.Compression;

namespace DistillDetect.Cli.Input;

/// <summary>Opens a command's INPUT argument: a file path (optionally <c>.gz</c>) or <c>-</c> for stdin.</summary>
internal static class InputSource
{
    /// <summary>
    /// Opens <paramref name="input"/> for one sequential pass: <c>-</c> is stdin (left open on dispose), a
    /// path ending in <c>.gz</c> is decompressed on the fly. Throws <see cref="FileNotFoundException"/> etc.
    /// </summary>
    public static Stream Open(string input, CommandContext context)
    {
        if (input == "-")
        {
            return new NonClosingStream(context.StandardInput);
        }
        // Our reader buffers in large blocks, so the FileStream's own buffer would be a wasted copy.
        var file = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return input.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>
    /// The format implied by <paramref name="input"/>'s extension (ignoring a trailing <c>.gz</c>):
    /// <c>.csv</c> = CSV; <c>.jsonl</c>, <c>.json</c>, <c>.ndjson</c> = JSON Lines; anything else (and <c>-</c>) = Auto.
    /// </summary>
    public static InputFormat FormatFromExtension(string input)
    {
        if (input == "-")
        {
            return InputFormat.Auto;
        }
        string name = input.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? input[..^3] : input;
        string ext = Path.GetExtension(name).ToLowerInvariant();
        return ext switch
        {
            ".csv" => InputFormat.Csv,
            ".jsonl" or ".json" or ".ndjson" => InputFormat.JsonLines,
            _ => InputFormat.Auto,
        };
    }

    /// <summary>Parses a <c>--format</c> value (<c>jsonl</c> or <c>csv</c>; null = Auto).</summary>
    public static InputFormat ParseFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null => InputFormat.Auto,
        "jsonl" or "json" or "ndjson" => InputFormat.JsonLines,
        "csv" => InputFormat.Csv,
        _ => throw new Commands.UsageException($"option '--format' must be jsonl or csv; got '{value}'."),
    };
}
