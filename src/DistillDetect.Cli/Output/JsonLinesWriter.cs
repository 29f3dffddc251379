using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DistillDetect.Cli.Output;

/// <summary>
/// Streams JSON Lines: one compact JSON value per line, written with <see cref="Utf8JsonWriter"/> into a
/// pooled buffer that goes to the stream every 64 KB, so memory stays flat however many records are written.
/// </summary>
/// <example><code>
/// using var lines = new JsonLinesWriter(target.Stream);
/// Utf8JsonWriter w = lines.Writer; w.WriteStartObject(); w.WriteNumber("line"u8, 1); w.WriteEndObject();
/// lines.EndRecord();
/// </code></example>
/// <remarks>Not thread-safe. Allocation-free per record after warm-up (buffer reused).</remarks>
internal sealed class JsonLinesWriter : IDisposable
{
    private const int FlushThreshold = 1 << 16;
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a writer over <paramref name="stream"/> (not owned: disposing flushes but keeps it open).</summary>
    public JsonLinesWriter(Stream stream)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Indented = false,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        });
    }

    /// <summary>The writer for the current record: write exactly one JSON value, then call <see cref="EndRecord"/>.</summary>
    public Utf8JsonWriter Writer => _writer;

    /// <summary>Records written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Ends the current record with a newline; hands full buffers to the stream.</summary>
    public void EndRecord()
    {
        _writer.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _writer.Reset(_buffer);
        Count++;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>Writes buffered records to the stream and flushes it.</summary>
    public void Flush()
    {
        _writer.Flush();
        if (_buffer.WrittenCount > 0)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
        _stream.Flush();
    }

    /// <summary>Flushes and releases the JSON writer (the stream stays open).</summary>
    public void Dispose()
    {
        Flush();
        _writer.Dispose();
    }
}
