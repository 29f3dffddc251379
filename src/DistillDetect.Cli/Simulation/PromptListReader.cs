using System.IO.Compression;
using System.Text.Json;

namespace DistillDetect.Cli.Simulation;

/// <summary>
/// Reads the prompt lists of <c>simulate --tasks FILE --legit FILE</c>: JSON Lines (optionally gzip-compressed,
/// by a <c>.gz</c> name) whose objects carry a string <c>prompt</c>. Lines that are blank, not JSON objects, or
/// without a string <c>prompt</c> (e.g. <c>null</c>) are skipped and counted. Stateless, thread-safe.
/// </summary>
internal static class PromptListReader
{
    /// <summary>Reads every prompt of the file at <paramref name="path"/>.</summary>
    /// <param name="path">A <c>.jsonl</c> or <c>.jsonl.gz</c> file.</param>
    /// <param name="skippedLines">Receives the 1-based numbers of skipped non-blank lines.</param>
    /// <returns>The prompts, in file order.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file holds no prompt at all.</exception>
    public static List<string> Read(string path, List<long>? skippedLines = null)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        List<string> prompts = Read(reader, skippedLines);
        return prompts.Count > 0 ? prompts : throw new InvalidDataException($"'{path}' contains no line with a string \"prompt\".");
    }

    /// <summary>Reads every prompt from <paramref name="reader"/> (one JSON object a line).</summary>
    /// <param name="reader">The text source.</param>
    /// <param name="skippedLines">Receives the 1-based numbers of skipped non-blank lines.</param>
    public static List<string> Read(TextReader reader, List<long>? skippedLines = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var prompts = new List<string>();
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            string? prompt = null;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("prompt", out JsonElement element)
                    && element.ValueKind == JsonValueKind.String)
                {
                    prompt = element.GetString();
                }
            }
            catch (JsonException)
            {
                // A malformed line is reported through skippedLines, like every other unusable line.
            }
            if (string.IsNullOrEmpty(prompt))
            {
                skippedLines?.Add(number);
            }
            else
            {
                prompts.Add(prompt);
            }
        }
        return prompts;
    }
}
