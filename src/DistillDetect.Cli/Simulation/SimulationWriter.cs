using System.Text.Encodings.Web;
using System.Text.Json;

namespace DistillDetect.Cli.Simulation;

/// <summary>
/// Writes simulated traffic as JSON Lines (<c>{"account","timestamp","prompt"}</c>, timestamps ISO-8601 UTC with
/// milliseconds and <c>Z</c>, strings escaped by System.Text.Json with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>:
/// quotes, backslashes and control characters are escaped, other text stays UTF-8, which is valid JSON and keeps
/// files compact; the "unsafe" only concerns embedding in HTML) and the ground truth as
/// <c>truth.json</c>. Streaming: memory is independent of the traffic size. Thread-safe (no shared state).
/// </summary>
internal static class SimulationWriter
{
    /// <summary>File name of the traffic in the output directory.</summary>
    public const string TrafficFileName = "traffic.jsonl";

    /// <summary>File name of the ground truth in the output directory.</summary>
    public const string TruthFileName = "truth.json";

    private static readonly JsonEncodedText s_account = JsonEncodedText.Encode("account");
    private static readonly JsonEncodedText s_timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText s_prompt = JsonEncodedText.Encode("prompt");

    /// <summary>Simulates and writes <c>traffic.jsonl</c> and <c>truth.json</c> into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="simulator">The simulation.</param>
    /// <param name="directory">Output directory; existing files of those names are overwritten.</param>
    /// <param name="progress">Called with the number of exchanges written every 1,000,000 exchanges; may be null.</param>
    /// <returns>The number of exchanges written.</returns>
    /// <exception cref="IOException">The files cannot be written.</exception>
    public static long WriteDirectory(TrafficSimulator simulator, string directory, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        Directory.CreateDirectory(directory);
        using (var truth = new FileStream(Path.Combine(directory, TruthFileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            WriteTruth(simulator.Truth, truth);
        }
        using var traffic = new FileStream(Path.Combine(directory, TrafficFileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        return WriteTraffic(simulator, traffic, progress);
    }

    /// <summary>Writes one JSON line per exchange to <paramref name="output"/> (not closed). O(total prompt length).</summary>
    /// <returns>The number of lines written.</returns>
    public static long WriteTraffic(IEnumerable<SimulatedExchange> exchanges, Stream output, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> stamp = stackalloc byte[24];
        long lines = 0;
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (SimulatedExchange exchange in exchanges)
        {
            FormatTimestamp(exchange.Timestamp, stamp);
            writer.WriteStartObject();
            writer.WriteString(s_account, exchange.Account);
            writer.WriteString(s_timestamp, stamp);
            writer.WriteString(s_prompt, exchange.Prompt);
            writer.WriteEndObject();
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
            lines++;
            if (progress is not null && lines % 1_000_000 == 0)
            {
                progress(lines);
            }
        }
        output.Flush();
        return lines;
    }

    /// <summary>Writes <c>{"campaign_accounts": [...], "campaigns": {id: [...]}, "hard_negative_groups": {kind: [...]}}</c>, indented, sorted.</summary>
    public static void WriteTruth(SimulationTruth truth, Stream output)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteStartArray("campaign_accounts");
        foreach (string account in truth.CampaignAccounts)
        {
            writer.WriteStringValue(account);
        }
        writer.WriteEndArray();
        WriteGroups(writer, "campaigns", truth.Campaigns);
        WriteGroups(writer, "hard_negative_groups", truth.HardNegativeGroups);
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }

    /// <summary>Writes <paramref name="timestamp"/> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (24 ASCII bytes, UTC) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 24 bytes.</exception>
    public static void FormatTimestamp(DateTimeOffset timestamp, Span<byte> destination)
    {
        if (destination.Length < 24)
        {
            throw new ArgumentException("The destination needs 24 bytes.", nameof(destination));
        }
        DateTime t = timestamp.UtcDateTime;
        Digits(destination[..4], t.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), t.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), t.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), t.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), t.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), t.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), t.Millisecond);
        destination[23] = (byte)'Z';
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteGroups(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        writer.WriteStartObject(name);
        foreach (var (id, accounts) in groups)
        {
            writer.WriteStartArray(id);
            foreach (string account in accounts)
            {
                writer.WriteStringValue(account);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }
}
