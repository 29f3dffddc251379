using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace DistillDetect.Cli.Input;

internal sealed partial class ExchangeReader
{
    private const int MaxTimestampBytes = 256;

    private bool NextJsonRecord()
    {
        while (TryGetNextLine(out ReadOnlySpan<byte> line))
        {
            if (line.IndexOfAnyExcept(" \t\r"u8) < 0)
            {
                continue; // blank line
            }
            _recordLine = _lines;
            ClearCurrent();
            if (ParseJsonLine(line) && CheckRequired())
            {
                return true;
            }
            ReportMalformed(_recordLine);
        }
        return false;
    }

    // Finds the next '\n'-terminated line in the buffer (JSON strings cannot hold a raw newline, so a
    // newline always ends a JSON Lines record). The span is valid until the next call.
    private bool TryGetNextLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int found = _buffer.AsSpan(_scanFrom, _end - _scanFrom).IndexOf((byte)'\n');
            if (found >= 0)
            {
                int lineEnd = _scanFrom + found;
                line = _buffer.AsSpan(_start, lineEnd - _start);
                _start = lineEnd + 1;
                _scanFrom = _start;
                _lines++;
                if (!line.IsEmpty && line[^1] == '\r')
                {
                    line = line[..^1];
                }
                return true;
            }
            _scanFrom = _end; // never rescan: a 10 MB line is found in linear time
            if (_eof)
            {
                if (_start < _end)
                {
                    line = _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    _lines++;
                    if (line[^1] == '\r')
                    {
                        line = line[..^1];
                    }
                    return true;
                }
                line = default;
                return false;
            }
            Fill();
        }
    }

    [SkipLocalsInit]
    private bool ParseJsonLine(ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
        {
            return Fail(MalformedReason.InvalidUtf8, detail: WantsDetail ? InvalidUtf8Detail(line) : null);
        }
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Fail(MalformedReason.NotAnObject, detail: WantsDetail ? "found " + reader.TokenType : null);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ExchangeFields field = MatchField(ref reader) & _wanted;
                reader.Read();
                switch (field)
                {
                    case ExchangeFields.None:
                        reader.Skip();
                        break;
                    case ExchangeFields.Account:
                        if (!ReadString(ref reader, field, ref _account))
                        {
                            return false;
                        }
                        break;
                    case ExchangeFields.Prompt:
                        if (!ReadString(ref reader, field, ref _prompt))
                        {
                            return false;
                        }
                        break;
                    case ExchangeFields.Id:
                        if (reader.TokenType == JsonTokenType.Number)
                        {
                            ReadOnlySpan<byte> number = reader.ValueSpan;
                            Span<char> chars = _id.GetBuffer(number.Length);
                            _id.Set(Encoding.ASCII.GetChars(number, chars)); // a JSON number is ASCII
                        }
                        else if (!ReadString(ref reader, field, ref _id))
                        {
                            return false;
                        }
                        break;
                    default: // Timestamp
                        if (!ReadTimestamp(ref reader))
                        {
                            return false;
                        }
                        break;
                }
            }
            // The loop ends on the root's EndObject; anything but whitespace after it makes Read throw.
            reader.Read();
        }
        catch (JsonException e)
        {
            return Fail(MalformedReason.InvalidJson, detail: WantsDetail ? TrimJsonMessage(e.Message) : null);
        }
        catch (InvalidOperationException e)
        {
            // CopyString on an escaped lone surrogate ("\ud800") cannot produce valid text.
            return Fail(MalformedReason.InvalidString, _failField, WantsDetail ? e.Message : null);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ExchangeFields MatchField(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            ReadOnlySpan<byte> name = reader.ValueSpan;
            return name.Length switch
            {
                2 when name.SequenceEqual("id"u8) => ExchangeFields.Id,
                6 when name.SequenceEqual("prompt"u8) => ExchangeFields.Prompt,
                7 when name.SequenceEqual("account"u8) => ExchangeFields.Account,
                9 when name.SequenceEqual("timestamp"u8) => ExchangeFields.Timestamp,
                _ => ExchangeFields.None,
            };
        }
        return reader.ValueTextEquals("id"u8) ? ExchangeFields.Id
            : reader.ValueTextEquals("prompt"u8) ? ExchangeFields.Prompt
            : reader.ValueTextEquals("account"u8) ? ExchangeFields.Account
            : reader.ValueTextEquals("timestamp"u8) ? ExchangeFields.Timestamp
            : ExchangeFields.None;
    }

    private bool ReadString(ref Utf8JsonReader reader, ExchangeFields field, ref FieldText target)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            _failField = field; // names the field if CopyString throws
            // Unescaped UTF-16 never has more chars than the escaped UTF-8 has bytes.
            Span<char> chars = target.GetBuffer(reader.ValueSpan.Length);
            target.Set(reader.CopyString(chars));
            return true;
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            target.Clear();
            return true; // null counts as absent
        }
        return Fail(MalformedReason.WrongType, field, WantsDetail ? "expected a string, found " + TokenName(reader.TokenType) : null);
    }

    [SkipLocalsInit]
    private bool ReadTimestamp(ref Utf8JsonReader reader)
    {
        _hasTimestamp = false;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (TimestampParser.TryParseUnix(reader.ValueSpan, out _timestamp))
                {
                    _hasTimestamp = true;
                    return true;
                }
                return Fail(MalformedReason.BadTimestamp, ExchangeFields.Timestamp,
                    WantsDetail ? Snippet(Encoding.UTF8.GetString(reader.ValueSpan)) : null);
            case JsonTokenType.String:
                bool parsed;
                if (!reader.ValueIsEscaped)
                {
                    parsed = TimestampParser.TryParse(reader.ValueSpan, out _timestamp);
                }
                else if (reader.ValueSpan.Length <= MaxTimestampBytes)
                {
                    _failField = ExchangeFields.Timestamp;
                    Span<byte> unescaped = stackalloc byte[MaxTimestampBytes];
                    int n = reader.CopyString(unescaped);
                    parsed = TimestampParser.TryParse(unescaped[..n], out _timestamp);
                }
                else
                {
                    parsed = false;
                }
                if (parsed)
                {
                    _hasTimestamp = true;
                    return true;
                }
                return Fail(MalformedReason.BadTimestamp, ExchangeFields.Timestamp,
                    WantsDetail ? Snippet(reader.GetString()) : null);
            case JsonTokenType.Null:
                return true;
            default:
                return Fail(MalformedReason.WrongType, ExchangeFields.Timestamp,
                    WantsDetail ? "expected a string or number, found " + TokenName(reader.TokenType) : null);
        }
    }

    private static string TokenName(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject or JsonTokenType.EndObject => "an object",
        JsonTokenType.StartArray or JsonTokenType.EndArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    private static string InvalidUtf8Detail(ReadOnlySpan<byte> line)
    {
        int valid = 0;
        // Find the first invalid byte to point at it.
        while (valid < line.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(line[valid..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                break;
            }
            valid += consumed;
        }
        return "bad byte at column " + (valid + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string TrimJsonMessage(string message)
    {
        // Utf8JsonReader messages end with "LineNumber: 0 | BytePositionInLine: 17."; keep the column, 1-based.
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at < 0)
        {
            return message;
        }
        string head = message[..at].TrimEnd();
        int pos = message.IndexOf("BytePositionInLine: ", at, StringComparison.Ordinal);
        if (pos >= 0 && long.TryParse(message.AsSpan(pos + 20).TrimEnd('.'), System.Globalization.CultureInfo.InvariantCulture, out long column))
        {
            return head + " (column " + (column + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
        }
        return head;
    }
}
