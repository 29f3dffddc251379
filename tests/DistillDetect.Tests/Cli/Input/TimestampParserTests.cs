using System.Globalization;
using System.Text;
using DistillDetect.Cli.Input;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Cli.Input;

public sealed class TimestampParserTests
{
    private static DateTimeOffset Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, long extraTicks = 0) =>
        new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).AddTicks(extraTicks);

    public static TheoryData<string, DateTimeOffset> KnownAnswers => new()
    {
        { "2023-11-16T18:17:03Z", Utc(2023, 11, 16, 18, 17, 3) },
        { "2023-11-16t18:17:03z", Utc(2023, 11, 16, 18, 17, 3) },
        { "2023-11-16T18:17:03.9799600+02:00", Utc(2023, 11, 16, 16, 17, 3, 9_799_600) },
        { "2023-11-16 18:17:03.9799600", Utc(2023, 11, 16, 18, 17, 3, 9_799_600) }, // no offset = UTC
        { "2023-11-16T18:17:03", Utc(2023, 11, 16, 18, 17, 3) },
        { "2023-11-16T18:17:03.5Z", Utc(2023, 11, 16, 18, 17, 3, 5_000_000) },
        { "2023-11-16T18:17:03,25Z", Utc(2023, 11, 16, 18, 17, 3, 2_500_000) },
        { "2023-11-16T18:17:03.123456789Z", Utc(2023, 11, 16, 18, 17, 3, 1_234_567) }, // truncated to 100 ns
        { "2023-11-16T18:17Z", Utc(2023, 11, 16, 18, 17, 0) },
        { "2023-11-16", Utc(2023, 11, 16) },
        { "2023-11-16T00:30:00-05:30", Utc(2023, 11, 16, 6, 0, 0) },
        { "2023-11-16T18:17:03+0530", Utc(2023, 11, 16, 12, 47, 3) },
        { "2023-11-16T18:17:03+05", Utc(2023, 11, 16, 13, 17, 3) },
        { "2023-01-01T01:00:00+14:00", Utc(2022, 12, 31, 11, 0, 0) },
        { "2024-02-29T23:59:59Z", Utc(2024, 2, 29, 23, 59, 59) },
        { "  2023-11-16T18:17:03Z \t", Utc(2023, 11, 16, 18, 17, 3) },
        // 1,700,000,000 s after the epoch is 2023-11-14 22:13:20 UTC.
        { "1700000000", Utc(2023, 11, 14, 22, 13, 20) },
        { "1700000000.5", Utc(2023, 11, 14, 22, 13, 20, 5_000_000) },
        { "1700000000.1234567", Utc(2023, 11, 14, 22, 13, 20, 1_234_567) },
        { "1700000000123", Utc(2023, 11, 14, 22, 13, 20, 1_230_000) }, // above 1e11: milliseconds
        { "1700000000123.4", Utc(2023, 11, 14, 22, 13, 20, 1_234_000) },
        { "1.7e9", Utc(2023, 11, 14, 22, 13, 20) },
        { "1.7E12", Utc(2023, 11, 14, 22, 13, 20) },
        { "100000000000", Utc(5138, 11, 16, 9, 46, 40) }, // exactly 1e11: still seconds
        { "100000000001", Utc(1973, 3, 3, 9, 46, 40, 10_000) }, // just above: milliseconds
        { "0", Utc(1970, 1, 1) },
        { "-1", Utc(1969, 12, 31, 23, 59, 59) },
        { "+60", Utc(1970, 1, 1, 0, 1, 0) },
    };

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void TryParse_KnownAnswer_IsUtcValue(string text, DateTimeOffset expected)
    {
        Assert.True(TimestampParser.TryParse(Encoding.UTF8.GetBytes(text), out DateTimeOffset utf8));
        Assert.Equal(expected, utf8);
        Assert.Equal(TimeSpan.Zero, utf8.Offset);
        Assert.True(TimestampParser.TryParse(text.AsSpan(), out DateTimeOffset utf16));
        Assert.Equal(expected, utf16);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("--1")]
    [InlineData("1-2")]
    [InlineData("12:30")]
    [InlineData("2023/11/16")]
    [InlineData("2023-13-01")]
    [InlineData("2023-00-10")]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2023-11-31")]
    [InlineData("2023-11-16T24:00:00Z")]
    [InlineData("2023-11-16T18:60:00Z")]
    [InlineData("2023-11-16T18:17:60Z")]
    [InlineData("2023-11-16T18:17:03+15:00")]
    [InlineData("2023-11-16T18:17:03+14:30")]
    [InlineData("2023-11-16T18:17:03Zjunk")]
    [InlineData("2023-11-16T18:17:03.Z")]
    [InlineData("2023-11-16T")]
    [InlineData("2023-11-16X18:17:03")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("99999999999999999")]
    [InlineData("-99999999999999")]
    [InlineData("２０２３-11-16")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(TimestampParser.TryParse(Encoding.UTF8.GetBytes(text), out _));
        Assert.False(TimestampParser.TryParse(text.AsSpan(), out _));
    }

    [Property(MaxTest = 300)]
    public Property TryParse_RoundTripFormatO_IsExact(long ticks, short offsetMinutes)
    {
        long t = Math.Abs(ticks % (DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay)) + TimeSpan.TicksPerDay;
        int offset = offsetMinutes % (14 * 60);
        var value = new DateTimeOffset(t, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset));
        string text = value.ToString("O", CultureInfo.InvariantCulture);
        bool ok = TimestampParser.TryParse(text, out DateTimeOffset parsed);
        return (ok && parsed.UtcTicks == value.UtcTicks && parsed.Offset == TimeSpan.Zero).Label(text);
    }

    [Property(MaxTest = 300)]
    public Property TryParse_UnixSecondsAndMilliseconds_MatchFromUnixTime(int seconds, ushort millis)
    {
        long s = Math.Abs((long)seconds) + 100_000_001; // after 1973-03-03 so milliseconds exceed 1e11
        var expected = DateTimeOffset.FromUnixTimeSeconds(s).AddMilliseconds(millis % 1000);
        long ms = expected.ToUnixTimeMilliseconds();
        string asSeconds = (s + (millis % 1000) / 1000m).ToString(CultureInfo.InvariantCulture);
        bool okS = TimestampParser.TryParse(asSeconds, out DateTimeOffset fromSeconds);
        bool okMs = TimestampParser.TryParse(ms.ToString(CultureInfo.InvariantCulture), out DateTimeOffset fromMs);
        return (okS && okMs && fromSeconds == expected && fromMs == expected).Label($"{asSeconds} / {ms}");
    }

    [Fact]
    public void TryParse_Utf8_DoesNotAllocate()
    {
        byte[] iso = "2023-11-16T18:17:03.9799600+02:00"u8.ToArray();
        byte[] unix = "1700000000123"u8.ToArray();
        long sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            bool ok = TimestampParser.TryParse(iso, out DateTimeOffset a) & TimestampParser.TryParse(unix, out DateTimeOffset b);
            sum += ok ? a.Ticks + b.Ticks : 0;
        }
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                bool ok = TimestampParser.TryParse(iso, out DateTimeOffset a) & TimestampParser.TryParse(unix, out DateTimeOffset b);
                sum += ok ? a.Ticks + b.Ticks : 0;
            }
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sum);
    }
}
