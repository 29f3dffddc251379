using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace DistillDetect.Cli.Input;

// CSV per RFC 4180: header row, comma separator, fields optionally in double quotes, "" for a quote inside
// quotes, CRLF or LF (also inside quoted fields). A quote inside an unquoted field is kept literally.
internal sealed partial class ExchangeReader
{
    private bool _csvInQuotes;
    private bool _csvSawQuote;
    private int _csvFieldStart;
    private int _csvLastClose = -2;
    private int _csvColumns;
    private int _columnAccount = -1;
    private int _columnTimestamp = -1;
    private int _columnPrompt = -1;
    private int _columnId = -1;
    private int _fieldCount;
    private int[] _fieldStart = new int[16];
    private int[] _fieldLength = new int[16];
    private bool[] _fieldDoubled = new bool[16];
    private byte[]? _unquoted;

    private bool ReadCsvHeader()
    {
        while (TryGetNextCsvRecord(out ReadOnlySpan<byte> record, out long startLine))
        {
            if (record.IsEmpty)
            {
                continue;
            }
            if (!Utf8.IsValid(record) || !SplitCsvFields(record))
            {
                throw new InvalidDataException($"{SourceName}: line {startLine}: the CSV header is malformed.");
            }
            _csvColumns = _fieldCount;
            var names = new List<string>(_fieldCount);
            for (int i = 0; i < _fieldCount; i++)
            {
                string name = DecodeCsvField(record, i).Trim().ToLowerInvariant();
                names.Add(name);
                switch (name)
                {
                    case "account" when _columnAccount < 0: _columnAccount = i; break;
                    case "timestamp" when _columnTimestamp < 0: _columnTimestamp = i; break;
                    case "prompt" when _columnPrompt < 0: _columnPrompt = i; break;
                    case "id" when _columnId < 0: _columnId = i; break;
                    default: break;
                }
            }
            foreach ((ExchangeFields field, int column) in (ReadOnlySpan<(ExchangeFields, int)>)
                [(ExchangeFields.Account, _columnAccount), (ExchangeFields.Timestamp, _columnTimestamp),
                 (ExchangeFields.Prompt, _columnPrompt), (ExchangeFields.Id, _columnId)])
            {
                if ((_required & field) != 0 && column < 0)
                {
                    throw new InvalidDataException(
                        $"{SourceName}: the CSV header has no \"{FieldName(field)}\" column (columns: {string.Join(", ", names)}).");
                }
            }
            return true;
        }
        return false; // empty input: no header, no records
    }

    private bool NextCsvRecord()
    {
        while (TryGetNextCsvRecord(out ReadOnlySpan<byte> record, out long startLine))
        {
            if (record.IsEmpty)
            {
                continue; // blank line
            }
            _recordLine = startLine;
            ClearCurrent();
            if (_csvInQuotes)
            {
                _csvInQuotes = false;
                Fail(MalformedReason.UnterminatedQuote);
            }
            else if (ParseCsvRecord(record) && CheckRequired())
            {
                return true;
            }
            ReportMalformed(startLine);
        }
        return false;
    }

    // Finds the end of the next record: a '\n' outside quotes. As in the field splitter, a quote opens a
    // quoted field only at the start of a field (so an unquoted 5" screen does not swallow the next lines),
    // and a quote right after a closing quote is the second half of "" (back inside the field). The state
    // survives refills, so quoted newlines of any number and length work. startLine is the record's first line.
    private bool TryGetNextCsvRecord(out ReadOnlySpan<byte> record, out long startLine)
    {
        startLine = _lines + 1;
        _csvFieldStart = _start;
        _csvLastClose = -2;
        while (true)
        {
            ReadOnlySpan<byte> pending = _buffer.AsSpan(_scanFrom, _end - _scanFrom);
            int found = _csvInQuotes ? pending.IndexOf((byte)'"') : pending.IndexOfAny((byte)'"', (byte)'\n', (byte)',');
            if (found >= 0)
            {
                int at = _scanFrom + found;
                _scanFrom = at + 1;
                byte b = _buffer[at];
                if (b == ',')
                {
                    _csvFieldStart = at + 1;
                    continue;
                }
                if (b == '"')
                {
                    if (_csvInQuotes)
                    {
                        _csvInQuotes = false;
                        _csvLastClose = at;
                    }
                    else if (at == _csvFieldStart || at == _csvLastClose + 1)
                    {
                        _csvInQuotes = true;
                        _csvSawQuote = true;
                    }
                    continue;
                }
                record = _buffer.AsSpan(_start, at - _start);
                _start = at + 1;
                _csvFieldStart = _start;
                _csvLastClose = -2;
                CountRecordLines(record);
                if (!record.IsEmpty && record[^1] == '\r')
                {
                    record = record[..^1];
                }
                return true;
            }
            _scanFrom = _end;
            if (_eof)
            {
                if (_start < _end)
                {
                    record = _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    _csvFieldStart = _start;
                    _csvLastClose = -2;
                    CountRecordLines(record);
                    if (!_csvInQuotes && record[^1] == '\r')
                    {
                        record = record[..^1];
                    }
                    return true;
                }
                record = default;
                return false;
            }
            int shift = _start;
            Fill();
            _csvFieldStart -= shift - _start;
            _csvLastClose -= shift - _start;
        }
    }

    // A record spans one line plus one per newline inside its quoted fields (counted only if it had quotes).
    private void CountRecordLines(ReadOnlySpan<byte> record)
    {
        _lines += 1 + (_csvSawQuote ? record.Count((byte)'\n') : 0);
        _csvSawQuote = false;
    }

    private bool ParseCsvRecord(ReadOnlySpan<byte> record)
    {
        if (!Utf8.IsValid(record))
        {
            return Fail(MalformedReason.InvalidUtf8, detail: WantsDetail ? InvalidUtf8Detail(record) : null);
        }
        if (!SplitCsvFields(record))
        {
            return false;
        }
        if (_fieldCount != _csvColumns)
        {
            return Fail(MalformedReason.FieldCount, detail: WantsDetail
                ? string.Create(CultureInfo.InvariantCulture, $"expected {_csvColumns}, found {_fieldCount}")
                : null);
        }
        if ((_wanted & ExchangeFields.Account) != 0 && _columnAccount >= 0)
        {
            SetCsvText(record, _columnAccount, ref _account);
        }
        if ((_wanted & ExchangeFields.Prompt) != 0 && _columnPrompt >= 0)
        {
            SetCsvText(record, _columnPrompt, ref _prompt);
        }
        if ((_wanted & ExchangeFields.Id) != 0 && _columnId >= 0)
        {
            SetCsvText(record, _columnId, ref _id);
        }
        if ((_wanted & ExchangeFields.Timestamp) != 0 && _columnTimestamp >= 0 && _fieldLength[_columnTimestamp] > 0)
        {
            ReadOnlySpan<byte> text = Unquote(record, _columnTimestamp);
            if (!TimestampParser.TryParse(text, out _timestamp))
            {
                return Fail(MalformedReason.BadTimestamp, ExchangeFields.Timestamp,
                    WantsDetail ? Snippet(Encoding.UTF8.GetString(text)) : null);
            }
            _hasTimestamp = true;
        }
        return true;
    }

    // Splits a record into field ranges (content inside quotes, with a flag when "" needs unescaping).
    private bool SplitCsvFields(ReadOnlySpan<byte> record)
    {
        _fieldCount = 0;
        int pos = 0;
        while (true)
        {
            if (pos < record.Length && record[pos] == '"')
            {
                int p = pos + 1;
                bool doubled = false;
                while (true)
                {
                    int q = record[p..].IndexOf((byte)'"');
                    if (q < 0)
                    {
                        return Fail(MalformedReason.UnterminatedQuote);
                    }
                    p += q;
                    if (p + 1 < record.Length && record[p + 1] == '"')
                    {
                        doubled = true;
                        p += 2;
                        continue;
                    }
                    break;
                }
                AddField(pos + 1, p - pos - 1, doubled);
                pos = p + 1;
                if (pos == record.Length)
                {
                    return true;
                }
                if (record[pos] != ',')
                {
                    return Fail(MalformedReason.TextAfterQuote, detail: WantsDetail
                        ? "column " + (pos + 1).ToString(CultureInfo.InvariantCulture)
                        : null);
                }
                pos++;
            }
            else
            {
                int comma = record[pos..].IndexOf((byte)',');
                if (comma < 0)
                {
                    AddField(pos, record.Length - pos, false);
                    return true;
                }
                AddField(pos, comma, false);
                pos += comma + 1;
            }
        }
    }

    private void AddField(int start, int length, bool doubled)
    {
        if (_fieldCount == _fieldStart.Length)
        {
            Array.Resize(ref _fieldStart, _fieldCount * 2);
            Array.Resize(ref _fieldLength, _fieldCount * 2);
            Array.Resize(ref _fieldDoubled, _fieldCount * 2);
        }
        _fieldStart[_fieldCount] = start;
        _fieldLength[_fieldCount] = length;
        _fieldDoubled[_fieldCount] = doubled;
        _fieldCount++;
    }

    // The field's bytes with "" turned into " (copied into a pooled buffer only when needed).
    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> record, int index)
    {
        ReadOnlySpan<byte> raw = record.Slice(_fieldStart[index], _fieldLength[index]);
        if (!_fieldDoubled[index])
        {
            return raw;
        }
        if (_unquoted is null || _unquoted.Length < raw.Length)
        {
            if (_unquoted is not null)
            {
                ArrayPool<byte>.Shared.Return(_unquoted);
            }
            _unquoted = ArrayPool<byte>.Shared.Rent(raw.Length);
        }
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            _unquoted[n++] = raw[i];
            if (raw[i] == '"')
            {
                i++; // skip the second quote of the pair
            }
        }
        return _unquoted.AsSpan(0, n);
    }

    private string DecodeCsvField(ReadOnlySpan<byte> record, int index) => Encoding.UTF8.GetString(Unquote(record, index));

    private void SetCsvText(ReadOnlySpan<byte> record, int index, ref FieldText target)
    {
        if (_fieldLength[index] == 0)
        {
            target.Clear(); // an empty cell counts as absent
            return;
        }
        ReadOnlySpan<byte> bytes = Unquote(record, index);
        Span<char> chars = target.GetBuffer(bytes.Length);
        target.Set(Encoding.UTF8.GetChars(bytes, chars));
    }

    private void ReleaseCsv()
    {
        if (_unquoted is not null)
        {
            ArrayPool<byte>.Shared.Return(_unquoted);
            _unquoted = null;
        }
    }
}
