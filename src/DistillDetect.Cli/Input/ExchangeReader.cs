using System.Buffers;
using System.Globalization;
using DistillDetect.Cli.Progress;

namespace DistillDetect.Cli.Input;

/// <summary>
/// Streams exchange records from JSON Lines or CSV (RFC 4180) in one pass over pooled buffers: memory is
/// O(longest line), never O(input). Malformed lines (a needed field missing, wrong type, bad timestamp,
/// invalid JSON or UTF-8, broken CSV) are reported on the error writer with their 1-based line number and
/// reason (the first <see cref="MaxDetailedMalformed"/> in detail, the rest only counted) and skipped.
/// Input order is kept (no sorting). A UTF-8 BOM is skipped; CRLF and LF both end lines; blank lines are ignored.
/// </summary>
/// <example><code>
/// using var reader = ExchangeReader.Open("traffic.jsonl", context, ExchangeFields.Account | ExchangeFields.Timestamp | ExchangeFields.Prompt);
/// while (reader.MoveNext())
///     detector.Observe(reader.Account, reader.Timestamp, reader.Prompt); // spans: no allocation per record
/// </code></example>
/// <remarks>
/// The span properties (<see cref="Account"/>, <see cref="Prompt"/>, <see cref="Id"/>) are valid until the
/// next <see cref="MoveNext"/>; <see cref="Current"/> copies them into strings (accounts are interned, so a
/// repeated account costs no new string). Fields not asked for are skipped without decoding. Not thread-safe.
/// </remarks>
internal sealed partial class ExchangeReader : IDisposable, Scanning.IExchangeSource
{
    /// <summary>Malformed lines reported in detail; later ones are only counted.</summary>
    public const int MaxDetailedMalformed = 20;

    private const int DefaultBufferSize = 1 << 20;
    private const int MaxInternedAccounts = 1 << 20;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly ExchangeFields _required;
    private readonly ExchangeFields _wanted;
    private readonly TextWriter _errors;
    private readonly ProgressReporter _progress;
    private readonly Dictionary<string, string> _accountNames = new(StringComparer.Ordinal);
    private InputFormat _format;

    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanFrom;
    private bool _eof;
    private bool _started;
    private bool _finished;
    private bool _disposed;

    private long _bytesRead;
    private long _lines;
    private long _records;
    private long _malformed;

    private long _recordLine;
    private FieldText _account;
    private FieldText _prompt;
    private FieldText _id;
    private DateTimeOffset _timestamp;
    private bool _hasTimestamp;

    private MalformedReason _failReason;
    private ExchangeFields _failField;
    private string? _failDetail;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">The input bytes (read sequentially once).</param>
    /// <param name="required">Fields every record must have; a line without one is malformed.</param>
    /// <param name="optional">Fields read when present (e.g. <see cref="ExchangeFields.Id"/>); others are skipped.</param>
    /// <param name="format">The format, or <see cref="InputFormat.Auto"/> to sniff the first non-space byte.</param>
    /// <param name="sourceName">The input's name in messages (a path or <c>stdin</c>).</param>
    /// <param name="errors">Where malformed lines are reported; nothing is written when null.</param>
    /// <param name="progress">Progress reporter (called once per buffer refill); none when null.</param>
    /// <param name="ownsStream">Whether <see cref="Dispose"/> disposes <paramref name="stream"/>.</param>
    /// <param name="bufferSize">Initial read buffer in bytes (grows for longer lines).</param>
    public ExchangeReader(Stream stream, ExchangeFields required, ExchangeFields optional = ExchangeFields.None,
        InputFormat format = InputFormat.Auto, string sourceName = "input", TextWriter? errors = null,
        ProgressReporter? progress = null, bool ownsStream = false, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _stream = stream;
        _required = required & ExchangeFields.All;
        _wanted = (required | optional) & ExchangeFields.All;
        _format = format;
        SourceName = sourceName;
        _errors = errors ?? TextWriter.Null;
        _progress = progress ?? ProgressReporter.Disabled;
        _ownsStream = ownsStream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _account = FieldText.Create();
        _prompt = FieldText.Create();
        _id = FieldText.Create();
    }

    /// <summary>
    /// Opens a command's INPUT (a path, <c>.gz</c> decompressed, or <c>-</c> for stdin) with the format from
    /// <paramref name="format"/>, else the extension, else sniffed; errors and progress go to the context's stderr.
    /// Throws IO exceptions when the file cannot be opened.
    /// </summary>
    public static ExchangeReader Open(string input, CommandContext context, ExchangeFields required,
        ExchangeFields optional = ExchangeFields.None, InputFormat format = InputFormat.Auto)
    {
        InputFormat resolved = format != InputFormat.Auto ? format : InputSource.FormatFromExtension(input);
        string name = input == "-" ? "stdin" : input;
        Stream stream = InputSource.Open(input, context);
        return new ExchangeReader(stream, required, optional, resolved, name, context.Error,
            ProgressReporter.For(context, name), ownsStream: true);
    }

    /// <summary>The input's name used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The format being read (<see cref="InputFormat.Auto"/> until the first <see cref="MoveNext"/> sniffs it).</summary>
    public InputFormat Format => _format;

    /// <summary>Physical lines consumed so far.</summary>
    public long LinesRead => _lines;

    /// <summary>Well-formed records returned so far.</summary>
    public long RecordsRead => _records;

    /// <summary>Malformed lines skipped so far.</summary>
    public long MalformedLines => _malformed;

    /// <summary>Input bytes read so far (after decompression).</summary>
    public long BytesRead => _bytesRead;

    /// <summary>1-based line where the current record starts.</summary>
    public long Line => _recordLine;

    /// <summary>The current record's account (empty when absent); valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Account => _account.Span;

    /// <summary>Whether the current record has an account.</summary>
    public bool HasAccount => _account.Present;

    /// <summary>The current record's prompt (empty when absent); valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Prompt => _prompt.Span;

    /// <summary>Whether the current record has a prompt.</summary>
    public bool HasPrompt => _prompt.Present;

    /// <summary>The current record's id as text (a JSON number keeps its text form); valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Id => _id.Span;

    /// <summary>Whether the current record has an id.</summary>
    public bool HasId => _id.Present;

    /// <summary>The current record's timestamp in UTC; default when <see cref="HasTimestamp"/> is false.</summary>
    public DateTimeOffset Timestamp => _timestamp;

    /// <summary>Whether the current record has a valid timestamp.</summary>
    public bool HasTimestamp => _hasTimestamp;

    /// <summary>The current record with its fields copied into strings (accounts interned).</summary>
    public ExchangeRecord Current => new(
        _recordLine,
        _id.Present ? new string(_id.Span) : null,
        _account.Present ? GetAccountString() : null,
        _timestamp,
        _hasTimestamp,
        _prompt.Present ? new string(_prompt.Span) : null);

    /// <summary>
    /// Advances to the next well-formed record, reporting and skipping malformed ones. Returns false at the
    /// end of the input (then prints the malformed total and the progress summary once). Throws
    /// <see cref="InvalidDataException"/> when a CSV header lacks a required column, and IO exceptions.
    /// </summary>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            return false;
        }
        if (!_started)
        {
            Start();
            if (_finished)
            {
                return false;
            }
        }
        bool found = _format == InputFormat.Csv ? NextCsvRecord() : NextJsonRecord();
        if (found)
        {
            _records++;
            return true;
        }
        Finish();
        return false;
    }

    /// <summary>Reads every remaining record as <see cref="ExchangeRecord"/>s (lazily, one pass).</summary>
    public IEnumerable<ExchangeRecord> ReadAll()
    {
        while (MoveNext())
        {
            yield return Current;
        }
    }

    /// <summary>The current account as a string; the same string instance for a repeated account.</summary>
    public string GetAccountString()
    {
        var lookup = _accountNames.GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlySpan<char> span = _account.Span;
        if (lookup.TryGetValue(span, out string? existing))
        {
            return existing;
        }
        if (_accountNames.Count >= MaxInternedAccounts)
        {
            _accountNames.Clear(); // bounded memory: a huge account space just loses the sharing
        }
        string s = new(span);
        _accountNames[s] = s;
        return s;
    }

    /// <summary>Returns the pooled buffers and disposes the stream when owned.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _account.Release();
        _prompt.Release();
        _id.Release();
        ReleaseCsv();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private void Start()
    {
        _started = true;
        while (_end - _start < 3 && !_eof)
        {
            Fill();
        }
        if (_end - _start >= 3 && _buffer.AsSpan(_start, 3).SequenceEqual("\uFEFF"u8))
        {
            _start += 3;
            _scanFrom = _start;
        }
        if (_format == InputFormat.Auto)
        {
            _format = Sniff();
        }
        if (_format == InputFormat.Csv && !ReadCsvHeader())
        {
            Finish();
        }
    }

    private InputFormat Sniff()
    {
        int from = _start;
        while (true)
        {
            ReadOnlySpan<byte> pending = _buffer.AsSpan(from, _end - from);
            int i = pending.IndexOfAnyExcept(" \t\r\n"u8);
            if (i >= 0)
            {
                return pending[i] == (byte)'{' ? InputFormat.JsonLines : InputFormat.Csv;
            }
            if (_eof)
            {
                return InputFormat.JsonLines; // blank input: no records either way
            }
            int consumed = _end - _start;
            Fill();
            from = _start + consumed;
        }
    }

    // Reads more input after _end, first moving the unread tail to the front and growing the buffer when the
    // current line fills it (so a line of any length fits). Sets _eof at the end of the stream.
    private void Fill()
    {
        if (_start > 0)
        {
            int pending = _end - _start;
            if (pending > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            }
            _scanFrom -= _start;
            _end = pending;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
            _bytesRead += read;
            _progress.Update(_lines, _bytesRead, _malformed);
        }
    }

    private void Finish()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        ClearCurrent();
        if (_malformed > 0)
        {
            _errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{SourceName}: {_malformed} malformed line{(_malformed == 1 ? "" : "s")} skipped ({_records} records read)."));
        }
        _progress.Complete(_lines, _records, _bytesRead, _malformed);
    }

    private void ClearCurrent()
    {
        _account.Clear();
        _prompt.Clear();
        _id.Clear();
        _timestamp = default;
        _hasTimestamp = false;
        _failReason = MalformedReason.None;
        _failField = ExchangeFields.None;
        _failDetail = null;
    }

    // Records why the current line is malformed; the detail text is only built while lines are still
    // reported in detail. Always returns false so parsers can `return Fail(...)`.
    private bool Fail(MalformedReason reason, ExchangeFields field = ExchangeFields.None, string? detail = null)
    {
        _failReason = reason;
        _failField = field;
        _failDetail = detail;
        return false;
    }

    private bool WantsDetail => _malformed < MaxDetailedMalformed;

    private bool CheckRequired()
    {
        ExchangeFields present = ExchangeFields.None;
        if (_account.Present)
        {
            present |= ExchangeFields.Account;
        }
        if (_prompt.Present)
        {
            present |= ExchangeFields.Prompt;
        }
        if (_id.Present)
        {
            present |= ExchangeFields.Id;
        }
        if (_hasTimestamp)
        {
            present |= ExchangeFields.Timestamp;
        }
        ExchangeFields missing = _required & ~present;
        if (missing == ExchangeFields.None)
        {
            return true;
        }
        // Report the first missing field in the input's natural order.
        ExchangeFields first = (missing & ExchangeFields.Account) != 0 ? ExchangeFields.Account
            : (missing & ExchangeFields.Timestamp) != 0 ? ExchangeFields.Timestamp
            : (missing & ExchangeFields.Prompt) != 0 ? ExchangeFields.Prompt
            : ExchangeFields.Id;
        return Fail(MalformedReason.MissingField, first);
    }

    private void ReportMalformed(long line)
    {
        if (_malformed < MaxDetailedMalformed)
        {
            _errors.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SourceName}: line {line}: {Describe()}; skipped."));
        }
        else if (_malformed == MaxDetailedMalformed)
        {
            _errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{SourceName}: line {line}: more than {MaxDetailedMalformed} malformed lines; further ones are only counted."));
        }
        _malformed++;
    }

    private string Describe()
    {
        string field = FieldName(_failField);
        string detail = _failDetail is null ? "" : ": " + _failDetail;
        return _failReason switch
        {
            MalformedReason.InvalidUtf8 => "invalid UTF-8" + detail,
            MalformedReason.InvalidJson => "invalid JSON" + detail,
            MalformedReason.NotAnObject => "not a JSON object" + detail,
            MalformedReason.MissingField => $"missing field \"{field}\"",
            MalformedReason.WrongType => $"field \"{field}\" has the wrong type{detail}",
            MalformedReason.BadTimestamp => $"field \"{field}\" is not a valid timestamp{detail}",
            MalformedReason.InvalidString => $"field \"{field}\" is not valid text{detail}",
            MalformedReason.FieldCount => "wrong number of fields" + detail,
            MalformedReason.UnterminatedQuote => "unterminated quoted field (runs to the end of the input)",
            MalformedReason.TextAfterQuote => "text after a closing quote" + detail,
            _ => "malformed" + detail,
        };
    }

    private static string FieldName(ExchangeFields field) => field switch
    {
        ExchangeFields.Account => "account",
        ExchangeFields.Timestamp => "timestamp",
        ExchangeFields.Prompt => "prompt",
        ExchangeFields.Id => "id",
        _ => "",
    };

    private static string Snippet(ReadOnlySpan<char> text)
    {
        const int Max = 40;
        return text.Length <= Max ? "'" + text.ToString() + "'" : "'" + text[..Max].ToString() + "...'";
    }

    /// <summary>A growable pooled UTF-16 buffer holding one field of the current record.</summary>
    private struct FieldText
    {
        public char[] Chars;
        public int Length;
        public bool Present;

        public static FieldText Create() => new() { Chars = ArrayPool<char>.Shared.Rent(256) };

        public readonly ReadOnlySpan<char> Span => Present ? Chars.AsSpan(0, Length) : default;

        public void Clear()
        {
            Length = 0;
            Present = false;
        }

        public Span<char> GetBuffer(int capacity)
        {
            if (Chars.Length < capacity)
            {
                ArrayPool<char>.Shared.Return(Chars);
                Chars = ArrayPool<char>.Shared.Rent(capacity);
            }
            return Chars;
        }

        public void Set(int length)
        {
            Length = length;
            Present = true;
        }

        public void Release()
        {
            if (Chars is { Length: > 0 })
            {
                ArrayPool<char>.Shared.Return(Chars);
            }
            Chars = [];
            Length = 0;
            Present = false;
        }
    }
}
