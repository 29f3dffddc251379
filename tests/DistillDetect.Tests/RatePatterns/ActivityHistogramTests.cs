using System.Buffers.Binary;
using DistillDetect.RatePatterns;
using DistillDetect.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.RatePatterns;

public class ActivityHistogramTests
{
    private static readonly long Monday = TimingGenerators.Monday2024;

    [Fact]
    public void Add_EveryHourOfAWeek_MaximalEntropyAndSevenDays()
    {
        var h = new ActivityHistogram();
        for (int i = 0; i < 168; i++) h.Add(Monday + i * TimeSpan.TicksPerHour + 5 * TimeSpan.TicksPerMinute);
        Assert.Equal(Math.Log2(168), h.HourOfWeekEntropyBits, 12);
        Assert.Equal(Math.Log2(24), h.HourOfDayEntropyBits, 12);
        Assert.Equal(7, h.ActiveDays);
        Span<long> week = stackalloc long[168];
        h.CopyHourOfWeekCounts(week);
        foreach (long c in week) Assert.Equal(1, c);
    }

    [Fact]
    public void Add_MondayNineUtc_LandsInBinNine()
    {
        var h = new ActivityHistogram();
        h.Add(new DateTimeOffset(2024, 3, 4, 9, 30, 0, TimeSpan.FromHours(0)));
        h.Add(new DateTimeOffset(2024, 3, 10, 23, 59, 0, TimeSpan.Zero)); // Sunday 23:00 = bin 167
        h.Add(new DateTimeOffset(2024, 3, 5, 2, 0, 0, TimeSpan.FromHours(5))); // Monday 21:00 UTC = bin 21
        Span<long> week = stackalloc long[168];
        h.CopyHourOfWeekCounts(week);
        Assert.Equal(1, week[9]);
        Assert.Equal(1, week[167]);
        Assert.Equal(1, week[21]);
        Assert.Equal(0, h.HourOfDayEntropyBits - Math.Log2(3), 12);
        Assert.Equal(2, h.ActiveDays);
    }

    [Fact]
    public void ActiveDays_SpanBeyondWindow_CountsRetiredDays()
    {
        var h = new ActivityHistogram();
        for (int d = 0; d < 600; d += 2) h.Add(Monday + d * TimeSpan.TicksPerDay);
        Assert.Equal(300, h.ActiveDays);
        // Arrival order within the window does not matter.
        var r = new ActivityHistogram();
        for (int d = 200; d >= 0; d -= 2) r.Add(Monday + d * TimeSpan.TicksPerDay);
        Assert.Equal(101, r.ActiveDays);
    }

    [Fact]
    public void Add_MoreThan65535InOneBin_HalvesAndKeepsProportions()
    {
        var h = new ActivityHistogram();
        for (int i = 0; i < 200_000; i++) h.Add(Monday + 9 * TimeSpan.TicksPerHour);
        for (int i = 0; i < 100_000; i++) h.Add(Monday + 10 * TimeSpan.TicksPerHour);
        Assert.Equal(300_000, h.Count);
        Assert.True(h.Scale >= 4);
        // Two bins in proportion 2:1 -> H = log2(3) - 2/3. Halving rounds each counter by at most one
        // unit of Scale, so the proportions move by at most Scale/65536 and the entropy by under 1e-3.
        Assert.Equal(Math.Log2(3) - 2.0 / 3, h.HourOfDayEntropyBits, 3);
    }

    [Property(MaxTest = 50)]
    public bool Merge_AnySplit_EqualsWholeStream(PositiveInt seed, PositiveInt size)
    {
        long[] t = InterArrivalStatisticsTests.RandomStream(seed.Get, size.Get % 500 + 1);
        var rng = new Random(seed.Get);
        var whole = new ActivityHistogram();
        var a = new ActivityHistogram();
        var b = new ActivityHistogram();
        foreach (long x in t)
        {
            whole.Add(x);
            (rng.Next(2) == 0 ? a : b).Add(x); // interleaved: hour counts and days are order-free
        }
        a.Merge(b);
        Assert.Equal(whole.ToBytes().Length, a.ToBytes().Length);
        return whole.Count == a.Count && whole.ActiveDays == a.ActiveDays
            && whole.HourOfWeekEntropyBits.Equals(a.HourOfWeekEntropyBits) && whole.HourOfDayEntropyBits.Equals(a.HourOfDayEntropyBits);
    }

    [Fact]
    public void ToBytes_RoundTrip_Identical()
    {
        var h = new ActivityHistogram();
        foreach (long x in InterArrivalStatisticsTests.RandomStream(9, 1000)) h.Add(x);
        byte[] data = h.ToBytes();
        ActivityHistogram back = ActivityHistogram.FromBytes(data);
        Assert.Equal(data, back.ToBytes());
        Assert.Equal(h.ActiveDays, back.ActiveDays);
        data[^6] ^= 4;
        Assert.Throws<InvalidDataException>(() => ActivityHistogram.FromBytes(data));
    }

    [Fact]
    public void FromBytes_Version1Layout_ReadsTheSameHistogram()
    {
        // Version 1 stored each hour counter in 32 bits; version 2 in 16. Rewrite a version-2 payload in the
        // version-1 layout and check that both read back to the same histogram and the same version-2 bytes.
        var h = new ActivityHistogram();
        foreach (long x in InterArrivalStatisticsTests.RandomStream(11, 3000)) h.Add(x);
        byte[] v2 = h.ToBytes();
        ReadOnlySpan<byte> payload = v2.AsSpan(StateReader.HeaderLength, v2.Length - StateReader.HeaderLength - 4);
        byte[] v1 = BuildVersion1(payload);
        ActivityHistogram back = ActivityHistogram.FromBytes(v1);
        Assert.Equal(v2, back.ToBytes());
        Assert.Equal(h.Count, back.Count);
        Assert.Equal(h.ActiveDays, back.ActiveDays);
        Assert.Equal(h.HourOfWeekEntropyBits, back.HourOfWeekEntropyBits);
        Assert.True(v1.Length - v2.Length == 2 * ActivityHistogram.HoursPerWeek - 4, $"{v1.Length} vs {v2.Length} bytes");
    }

    /// <summary>The version-1 envelope of a version-2 payload: header fields as they are, hour counters widened to 32 bits.</summary>
    internal static byte[] BuildVersion1(ReadOnlySpan<byte> v2Payload)
    {
        var w = new StateWriter(ActivityHistogram.Magic, 1);
        WriteVersion1Payload(w, v2Payload);
        return w.ToArray();
    }

    internal static void WriteVersion1Payload(StateWriter w, ReadOnlySpan<byte> v2Payload)
    {
        const int header = 8 + 4 + 8 + 8;
        w.WriteInt64(BinaryPrimitives.ReadInt64LittleEndian(v2Payload));
        w.WriteInt32(BinaryPrimitives.ReadInt32LittleEndian(v2Payload[8..]));
        w.WriteInt64(BinaryPrimitives.ReadInt64LittleEndian(v2Payload[12..]));
        w.WriteInt64(BinaryPrimitives.ReadInt64LittleEndian(v2Payload[20..]));
        Assert.Equal(2 * ActivityHistogram.HoursPerWeek, BinaryPrimitives.ReadInt32LittleEndian(v2Payload[header..]));
        ReadOnlySpan<byte> counters = v2Payload.Slice(header + 4, 2 * ActivityHistogram.HoursPerWeek);
        for (int i = 0; i < ActivityHistogram.HoursPerWeek; i++) w.WriteUInt32(BinaryPrimitives.ReadUInt16LittleEndian(counters[(2 * i)..]));
        ReadOnlySpan<byte> days = v2Payload[(header + 4 + 2 * ActivityHistogram.HoursPerWeek)..];
        Assert.Equal(32, days.Length);
        for (int i = 0; i < 4; i++) w.WriteUInt64(BinaryPrimitives.ReadUInt64LittleEndian(days[(8 * i)..]));
    }
}
