using System.Globalization;
using System.Runtime.CompilerServices;

namespace DistillDetect.Cli.Input;

/// <summary>
/// Parses exchange timestamps to UTC <see cref="DateTimeOffset"/> (offset zero), without allocating:
/// <list type="bullet">
/// <item>ISO-8601 / RFC 3339 (<c>2023-11-16T18:17:03.97Z</c>, <c>...+02:00</c>, <c>+0200</c>, <c>+02</c>), also with a
/// space instead of <c>T</c> (<c>2023-11-16 18:17:03.9799600</c>), without seconds, or date only. A time without
/// offset is taken as UTC (logs without a zone are almost always server UTC; documented in the CLI usage).
/// Fractions beyond 100 ns are truncated. Leap second 60 and hour 24 are rejected.</item>
/// <item>Unix time numbers (also inside a string): seconds, or milliseconds when the magnitude is above 1e11
/// (1e11 s is the year 5138, 1e11 ms is 1973); fractions and exponents allowed.</item>
/// </list>
/// Leading and trailing ASCII whitespace is ignored. Anything else, or a time outside
/// <see cref="DateTimeOffset"/>'s range, is rejected (returns false). Thread-safe; O(length).
/// </summary>
internal static class TimestampParser
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const long MaxTicks = 3_155_378_975_999_999_999; // DateTime.MaxValue.Ticks
    private const int MaxTextLength = 64;

    /// <summary>Parses a UTF-8 timestamp (ISO-8601 or Unix number). Returns false when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        utf8 = utf8.Trim(" \t\r\n"u8);
        value = default;
        if (utf8.IsEmpty || utf8.Length > MaxTextLength)
        {
            return false;
        }
        return LooksNumeric(utf8) ? TryParseUnix(utf8, out value) : TryParseIso8601(utf8, out value);
    }

    /// <summary>Parses a UTF-16 timestamp (ISO-8601 or Unix number). Returns false when it is not one.</summary>
    [SkipLocalsInit]
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim();
        if (text.IsEmpty || text.Length > MaxTextLength)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[MaxTextLength];
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch > 0x7F)
            {
                return false;
            }
            bytes[i] = (byte)ch;
        }
        return TryParse(bytes[..text.Length], out value);
    }

    /// <summary>Parses a string timestamp; convenience wrapper over the span overload.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        if (text is null)
        {
            value = default;
            return false;
        }
        return TryParse(text.AsSpan(), out value);
    }

    /// <summary>
    /// Parses a Unix time number (JSON number syntax, optionally with a leading '+'): seconds, or
    /// milliseconds when |value| &gt; 1e11. Exact to 100 ns for plain decimals; exponent forms go through
    /// <see cref="double"/>.
    /// </summary>
    public static bool TryParseUnix(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        value = default;
        if (utf8.IsEmpty)
        {
            return false;
        }
        int i = 0;
        bool negative = false;
        if (i < utf8.Length && (utf8[i] == '-' || utf8[i] == '+'))
        {
            negative = utf8[i] == '-';
            i++;
        }
        long whole = 0;
        int wholeDigits = 0;
        while (i < utf8.Length && IsDigit(utf8[i]))
        {
            if (wholeDigits >= 17)
            {
                return false; // beyond any representable time even as milliseconds
            }
            whole = whole * 10 + (utf8[i] - '0');
            wholeDigits += whole == 0 ? 0 : 1;
            i++;
        }
        int integerEnd = i;
        long fraction = 0; // first 7 fractional digits (100 ns of a second)
        int fractionDigits = 0;
        bool fractionNonZeroBeyond = false;
        if (i < utf8.Length && utf8[i] == '.')
        {
            i++;
            int start = i;
            while (i < utf8.Length && IsDigit(utf8[i]))
            {
                if (fractionDigits < 7)
                {
                    fraction = fraction * 10 + (utf8[i] - '0');
                    fractionDigits++;
                }
                else if (utf8[i] != '0')
                {
                    fractionNonZeroBeyond = true;
                }
                i++;
            }
            if (i == start)
            {
                return false;
            }
        }
        if (integerEnd == (negative || utf8[0] == '+' ? 1 : 0))
        {
            return false; // no integer digits (".5", "-")
        }
        if (i < utf8.Length)
        {
            if (utf8[i] is (byte)'e' or (byte)'E')
            {
                return TryParseUnixViaDouble(utf8, out value);
            }
            return false;
        }
        for (int k = fractionDigits; k < 7; k++)
        {
            fraction *= 10;
        }
        bool milliseconds = whole > 100_000_000_000L || (whole == 100_000_000_000L && (fraction > 0 || fractionNonZeroBeyond));
        long ticks;
        if (milliseconds)
        {
            // whole is milliseconds: 10^4 ticks each; the fraction's first 4 digits are sub-millisecond ticks.
            if (whole > (MaxTicks / TimeSpan.TicksPerMillisecond) + 1)
            {
                return false;
            }
            ticks = whole * TimeSpan.TicksPerMillisecond + fraction / 1000;
        }
        else
        {
            ticks = whole * TicksPerSecond + fraction;
        }
        return TryFromUnixTicks(negative ? -ticks : ticks, out value);
    }

    /// <summary>
    /// Parses ISO-8601 / RFC 3339: <c>YYYY-MM-DD</c>, optionally <c>T</c> or space and <c>hh:mm[:ss[.f+]]</c>,
    /// optionally <c>Z</c> or <c>±hh[:mm]</c> / <c>±hhmm</c>. No offset means UTC.
    /// </summary>
    public static bool TryParseIso8601(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s, 0, 4, out int year) || !TryDigits(s, 5, 2, out int month) || !TryDigits(s, 8, 2, out int day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        int i = 10;
        if (i < s.Length && s[i] is (byte)'T' or (byte)'t' or (byte)' ')
        {
            if (i + 6 > s.Length || s[i + 3] != ':' || !TryDigits(s, i + 1, 2, out hour) || !TryDigits(s, i + 4, 2, out minute)
                || hour > 23 || minute > 59)
            {
                return false;
            }
            i += 6;
            if (i < s.Length && s[i] == ':')
            {
                if (!TryDigits(s, i + 1, 2, out second) || second > 59)
                {
                    return false;
                }
                i += 3;
                if (i < s.Length && s[i] is (byte)'.' or (byte)',')
                {
                    i++;
                    int start = i;
                    long scale = TicksPerSecond / 10;
                    while (i < s.Length && IsDigit(s[i]))
                    {
                        fractionTicks += (s[i] - '0') * scale;
                        scale /= 10;
                        i++;
                    }
                    if (i == start)
                    {
                        return false;
                    }
                }
            }
        }
        else if (i < s.Length)
        {
            return false;
        }
        long offsetTicks = 0;
        if (i < s.Length)
        {
            byte sign = s[i];
            if (sign is (byte)'Z' or (byte)'z')
            {
                i++;
            }
            else if (sign is (byte)'+' or (byte)'-')
            {
                if (!TryDigits(s, i + 1, 2, out int oh))
                {
                    return false;
                }
                i += 3;
                int om = 0;
                if (i < s.Length)
                {
                    if (s[i] == ':')
                    {
                        i++;
                    }
                    if (!TryDigits(s, i, 2, out om))
                    {
                        return false;
                    }
                    i += 2;
                }
                if (oh > 14 || om > 59 || (oh == 14 && om > 0))
                {
                    return false;
                }
                offsetTicks = (oh * 60L + om) * TimeSpan.TicksPerMinute * (sign == '-' ? -1 : 1);
            }
            else
            {
                return false;
            }
            if (i != s.Length)
            {
                return false;
            }
        }
        long local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        long utc = local - offsetTicks;
        if (utc < 0 || utc > MaxTicks)
        {
            return false;
        }
        value = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    private static bool TryParseUnixViaDouble(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        value = default;
        if (!double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
        {
            return false;
        }
        double seconds = Math.Abs(number) > 1e11 ? number / 1000 : number;
        double ticks = Math.Round(seconds * TicksPerSecond);
        if (ticks < -UnixEpochTicks || ticks > MaxTicks - UnixEpochTicks)
        {
            return false;
        }
        return TryFromUnixTicks((long)ticks, out value);
    }

    private static bool TryFromUnixTicks(long unixTicks, out DateTimeOffset value)
    {
        if (unixTicks < -UnixEpochTicks || unixTicks > MaxTicks - UnixEpochTicks)
        {
            value = default;
            return false;
        }
        value = new DateTimeOffset(UnixEpochTicks + unixTicks, TimeSpan.Zero);
        return true;
    }

    // A string is a Unix number when it has only sign, digits, '.', exponent: ISO dates always have '-' at index 4.
    private static bool LooksNumeric(ReadOnlySpan<byte> s)
    {
        int i = s[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        if (i >= s.Length || !(IsDigit(s[i]) || s[i] == '.'))
        {
            return false;
        }
        for (; i < s.Length; i++)
        {
            byte b = s[i];
            if (!(IsDigit(b) || b is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-'))
            {
                return false;
            }
            if (b == '-' && i == 4 && s[0] != '-')
            {
                return false; // "2023-11-16"
            }
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start < 0 || start + count > s.Length)
        {
            return false;
        }
        for (int i = start; i < start + count; i++)
        {
            if (!IsDigit(s[i]))
            {
                return false;
            }
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
