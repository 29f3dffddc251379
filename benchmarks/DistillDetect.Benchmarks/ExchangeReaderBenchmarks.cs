using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DistillDetect.Cli.Input;

namespace DistillDetect.Benchmarks;

/// <summary>
/// Throughput of <see cref="ExchangeReader"/> over a generated ~50 MB traffic log (JSON Lines and the same
/// records as CSV), against the naive baseline: StreamReader.ReadLine + JsonDocument.Parse per line.
/// MB/s = file size (printed by GlobalSetup) / mean time.
/// </summary>
[MemoryDiagnoser]
public class ExchangeReaderBenchmarks
{
    private const ExchangeFields AccountTimePrompt = ExchangeFields.Account | ExchangeFields.Timestamp | ExchangeFields.Prompt;
    private const long TargetBytes = 50_000_000;

    private static readonly string[] s_words =
    [
        "the", "function", "returns", "list", "of", "integers", "sorted", "in", "ascending", "order", "write", "a",
        "Python", "class", "that", "implements", "binary", "search", "tree", "with", "insert", "delete", "step",
        "by", "reasoning", "explain", "your", "answer", "carefully", "café", "naïve", "données", "größe", "日本語",
        "プログラム", "中文", "привет", "🙂", "→", "λ", "x²", "\"quoted\"", "C:\\path\\to\\file", "tab\there", "new\nline",
        "array[i] = array[j];", "if (a < b && c > d)", "{\"key\": 1}", "SELECT * FROM users;",
    ];

    private string _jsonPath = "";
    private string _csvPath = "";

    /// <summary>Writes the JSON Lines and CSV files from a fixed seed (about 50 MB each).</summary>
    [GlobalSetup]
    public void Setup()
    {
        string dir = Path.Combine(Path.GetTempPath(), "distilldetect-bench");
        Directory.CreateDirectory(dir);
        _jsonPath = Path.Combine(dir, "exchanges-seed42.jsonl");
        _csvPath = Path.Combine(dir, "exchanges-seed42.csv");
        if (!File.Exists(_jsonPath) || !File.Exists(_csvPath) || new FileInfo(_jsonPath).Length < TargetBytes)
        {
            Generate(_jsonPath + ".tmp", _csvPath + ".tmp");
            File.Move(_jsonPath + ".tmp", _jsonPath, overwrite: true);
            File.Move(_csvPath + ".tmp", _csvPath, overwrite: true);
        }
        Console.WriteLine($"// ExchangeReaderBenchmarks: JSON Lines {new FileInfo(_jsonPath).Length:N0} bytes, CSV {new FileInfo(_csvPath).Length:N0} bytes");
    }

    /// <summary>Naive baseline: text lines, a DOM per line, strings for every field.</summary>
    [Benchmark(Baseline = true)]
    public long JsonLines_StreamReaderJsonDocument()
    {
        long sum = 0;
        using var reader = new StreamReader(_jsonPath, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            string account = root.GetProperty("account").GetString()!;
            string prompt = root.GetProperty("prompt").GetString()!;
            JsonElement t = root.GetProperty("timestamp");
            DateTimeOffset time = t.ValueKind == JsonValueKind.Number
                ? DateTimeOffset.FromUnixTimeSeconds(t.GetInt64())
                : DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture);
            sum += account.Length + prompt.Length + time.Second;
        }
        return sum;
    }

    /// <summary>The scan path: account, timestamp and prompt as spans (no string per record).</summary>
    [Benchmark]
    public long JsonLines_Spans()
    {
        long sum = 0;
        using ExchangeReader reader = OpenJson(AccountTimePrompt);
        while (reader.MoveNext())
        {
            sum += reader.Account.Length + reader.Prompt.Length + reader.Timestamp.Second;
        }
        return sum;
    }

    /// <summary>Records with strings (<see cref="ExchangeReader.Current"/>; accounts interned).</summary>
    [Benchmark]
    public long JsonLines_Records()
    {
        long sum = 0;
        using ExchangeReader reader = OpenJson(AccountTimePrompt);
        while (reader.MoveNext())
        {
            ExchangeRecord r = reader.Current;
            sum += r.Account!.Length + r.Prompt!.Length + r.Timestamp.Second;
        }
        return sum;
    }

    /// <summary>The timing path: account and timestamp only, the prompt skipped undecoded.</summary>
    [Benchmark]
    public long JsonLines_AccountAndTimestampOnly()
    {
        long sum = 0;
        using ExchangeReader reader = OpenJson(ExchangeFields.Account | ExchangeFields.Timestamp);
        while (reader.MoveNext())
        {
            sum += reader.Account.Length + reader.Timestamp.Second;
        }
        return sum;
    }

    /// <summary>The same records from CSV, as spans.</summary>
    [Benchmark]
    public long Csv_Spans()
    {
        long sum = 0;
        var stream = new FileStream(_csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var reader = new ExchangeReader(stream, AccountTimePrompt, format: InputFormat.Csv, ownsStream: true);
        while (reader.MoveNext())
        {
            sum += reader.Account.Length + reader.Prompt.Length + reader.Timestamp.Second;
        }
        return sum;
    }

    private ExchangeReader OpenJson(ExchangeFields fields)
    {
        var stream = new FileStream(_jsonPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return new ExchangeReader(stream, fields, format: InputFormat.JsonLines, ownsStream: true);
    }

    private static void Generate(string jsonPath, string csvPath)
    {
        var rng = new Random(42);
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var json = new FileStream(jsonPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var csv = new StreamWriter(csvPath, false, new UTF8Encoding(false), 1 << 20);
        csv.Write("account,timestamp,prompt,id\n");
        using var writer = new Utf8JsonWriter(json, options);
        var prompt = new StringBuilder(2100);
        long start = 1_776_816_000; // 2026-04-22T00:00:00Z
        for (long i = 0; json.Position < TargetBytes; i++)
        {
            prompt.Clear();
            int length = rng.Next(200, 2001);
            while (prompt.Length < length)
            {
                prompt.Append(s_words[rng.Next(s_words.Length)]).Append(' ');
            }
            string account = "acct-" + rng.Next(2000).ToString("D5", CultureInfo.InvariantCulture);
            long time = start + rng.Next(0, 3_628_800);
            string text = prompt.ToString();
            writer.WriteStartObject();
            writer.WriteString("account"u8, account);
            if ((i & 1) == 0)
            {
                writer.WriteNumber("timestamp"u8, time);
            }
            else
            {
                writer.WriteString("timestamp"u8, DateTimeOffset.FromUnixTimeSeconds(time).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            }
            writer.WriteString("prompt"u8, text);
            writer.WriteNumber("id"u8, i);
            writer.WriteStartObject("meta"u8);
            writer.WriteString("model"u8, "model-x");
            writer.WriteNumber("tokens"u8, rng.Next(10, 4000));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            json.WriteByte((byte)'\n');
            writer.Reset();
            csv.Write(account);
            csv.Write(',');
            csv.Write(time.ToString(CultureInfo.InvariantCulture));
            csv.Write(",\"");
            csv.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
            csv.Write("\",");
            csv.Write(i.ToString(CultureInfo.InvariantCulture));
            csv.Write('\n');
        }
    }
}
