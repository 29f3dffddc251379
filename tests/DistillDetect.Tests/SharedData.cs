using System.IO.Compression;
using System.Text.Json;

namespace DistillDetect.Tests;

/// <summary>
/// Locates the real public datasets in ../shared/data (read in place, never copied). Tests that need
/// them call <see cref="RequireDirectory"/>, which skips the test with a clear message when the folder
/// is absent, as on a user's fresh clone. CI has the folder, so there the tests run.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> s_directory = new(Find);

    public static string? Directory => s_directory.Value;

    public static string RequireDirectory()
    {
        string? dir = Directory;
        if (dir is null)
        {
            Assert.Skip("../shared/data is absent (a fresh clone outside the workplace); this test needs the real public datasets and runs in CI.");
        }
        return dir!;
    }

    /// <summary>Reads the <c>prompt</c> and <c>id</c> of every row of a (possibly gzipped) JSON Lines file.</summary>
    public static List<(string Id, string Prompt)> ReadPrompts(string fileName)
    {
        string path = Path.Combine(RequireDirectory(), fileName);
        var rows = new List<(string, string)>();
        foreach (string line in ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("prompt", out var p) && p.ValueKind == JsonValueKind.String)
            {
                rows.Add((root.GetProperty("id").ToString(), p.GetString()!));
            }
        }
        return rows;
    }

    /// <summary>Reads each line of a JSON Lines file, decompressing <c>.gz</c> files on the fly.</summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) yield return line;
        }
    }

    /// <summary>
    /// Splits rows by id into a development part and a held-out part (about 30 %), with a fixed seed, so
    /// detection figures can be reported on rows nothing was tuned on. The split depends only on the id.
    /// </summary>
    public static bool IsHeldOut(string id)
    {
        ulong h = System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(id), seed: 20260422);
        return h % 10 < 3;
    }

    private static string? Find()
    {
        string? env = Environment.GetEnvironmentVariable("DISTILLDETECT_SHARED_DATA");
        if (!string.IsNullOrEmpty(env) && System.IO.Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "SOURCES.md"))) return candidate;
        }
        return null;
    }
}
