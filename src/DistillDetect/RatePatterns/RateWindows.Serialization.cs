using DistillDetect.Serialization;

namespace DistillDetect.RatePatterns;

public sealed partial class RateWindows
{
    private const string Magic = "RWIN";
    private const ushort FormatVersion = 1;
    private const string What = "RateWindows";

    /// <summary>
    /// Serializes the windows in the library's envelope (magic "RWIN", version 1, CRC-32): counters, newest time and,
    /// per ring, the head bucket and the bucket counts. O(buckets).
    /// </summary>
    /// <returns>A new array of about 750 bytes.</returns>
    public byte[] ToBytes()
    {
        var writer = new StateWriter(Magic, FormatVersion);
        writer.WriteInt64(_acceptedCount);
        writer.WriteInt64(_ignoredCount);
        writer.WriteInt64(_newestTicks);
        writer.WriteInt64(_minute.Head);
        writer.WriteUInt32s(_counts.AsSpan(MinuteOffset, MinuteBuckets));
        writer.WriteInt64(_hour.Head);
        writer.WriteUInt32s(_counts.AsSpan(HourOffset, HourBuckets));
        writer.WriteInt64(_day.Head);
        writer.WriteUInt32s(_counts.AsSpan(DayOffset, DayBuckets));
        return writer.ToArray();
    }

    /// <summary>Reads windows written by <see cref="ToBytes"/>. O(buckets).</summary>
    /// <param name="data">The serialized windows.</param>
    /// <returns>A new instance equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, inconsistent, or of another type or version.</exception>
    public static RateWindows FromBytes(ReadOnlySpan<byte> data)
    {
        var reader = new StateReader(data, Magic, FormatVersion, What);
        var windows = new RateWindows
        {
            _acceptedCount = reader.ReadInt64(),
            _ignoredCount = reader.ReadInt64(),
            _newestTicks = reader.ReadInt64(),
        };
        if (windows._acceptedCount < 0 || windows._ignoredCount < 0)
            throw new InvalidDataException($"{What}: negative event counters.");
        if ((ulong)windows._newestTicks > MaxTicks)
            throw new InvalidDataException($"{What}: newest time {windows._newestTicks} is outside the DateTime range.");
        windows._minute = ReadRing(ref reader, windows, MinuteOffset, MinuteBuckets, MinuteBucketTicks, "minute");
        windows._hour = ReadRing(ref reader, windows, HourOffset, HourBuckets, HourBucketTicks, "hour");
        windows._day = ReadRing(ref reader, windows, DayOffset, DayBuckets, DayBucketTicks, "day");
        reader.EnsureEnd();
        return windows;
    }

    private static Ring ReadRing(ref StateReader reader, RateWindows windows, int offset, int length, long bucketTicks, string name)
    {
        long head = reader.ReadInt64();
        uint[] counts = reader.ReadUInt32s(length);
        if (counts.Length != length)
            throw new InvalidDataException($"{What}: the {name} ring has {counts.Length} buckets, {length} expected.");
        long expectedHead = windows._acceptedCount == 0 ? -1 : windows._newestTicks / bucketTicks;
        if (head != expectedHead)
            throw new InvalidDataException($"{What}: the {name} ring's head bucket {head} does not match the newest time (expected {expectedHead}).");
        long total = 0;
        foreach (uint c in counts) total += c;
        if (total > windows._acceptedCount)
            throw new InvalidDataException($"{What}: the {name} ring holds {total} events, more than the {windows._acceptedCount} accepted.");
        counts.CopyTo(windows._counts, offset);
        return new Ring { Head = head, Total = total };
    }
}
