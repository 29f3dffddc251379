using System.Runtime.CompilerServices;

namespace DistillDetect.RatePatterns;

/// <summary>
/// Event counts over sliding windows of the last minute, hour and day, kept in three bucketed ring buffers:
/// 60 buckets of 1 s, 60 buckets of 1 min and 48 buckets of 30 min (168 32-bit counters, 672 bytes of counts,
/// about 800 bytes in all).
/// </summary>
/// <remarks>
/// <para>Timestamps are UTC <see cref="DateTime"/> ticks (100 ns since 0001-01-01), or a <see cref="DateTimeOffset"/>.
/// Bucket <c>k</c> of width <c>w</c> holds the events with <c>floor(ticks / w) = k</c>.</para>
/// <para>Approximation bound: a window of <c>B</c> buckets (length <c>W = B w</c>) asked "as of" a time <c>t</c> in bucket
/// <c>c</c> answers the number of events in buckets <c>c - B + 1 .. c</c>, that is with timestamps in
/// <c>[(c - B + 1) w, t]</c>. Since <c>(c - B + 1) w</c> lies in <c>(t - W, t - W + w]</c>, the answer is never more than the
/// exact count over <c>(t - W, t]</c> and falls short of it by at most the events of one bucket (bucket <c>c - B</c>,
/// the one sliding out): at most 1 s of events for the minute, 1 min for the hour, 30 min for the day.</para>
/// <para>Order: out-of-order events are counted in their bucket as long as it is still in the ring. An event older
/// than a ring's span is outside that window for every later query, so skipping it is exact; an event older than
/// the day ring (or with ticks outside the <see cref="DateTime"/> range) is ignored and counted in
/// <see cref="IgnoredCount"/>. Because the newest timestamp moves the rings, callers must bound timestamps by their own
/// clock: one far-future timestamp would push every later event out of the windows.</para>
/// <para>Cost: <see cref="Add(long)"/> is O(1) (at most 168 buckets cleared when time jumps forward), no allocation;
/// queries as of the newest bucket are O(1), as of a later time O(buckets). Thread safety: none; updates and merges
/// need external synchronization.</para>
/// </remarks>
public sealed partial class RateWindows
{
    private const int MinuteBuckets = 60;
    private const int HourBuckets = 60;
    private const int DayBuckets = 48;
    private const long MinuteBucketTicks = TimeSpan.TicksPerSecond;
    private const long HourBucketTicks = TimeSpan.TicksPerMinute;
    private const long DayBucketTicks = 30 * TimeSpan.TicksPerMinute;
    private const int MinuteOffset = 0;
    private const int HourOffset = MinuteBuckets;
    private const int DayOffset = MinuteBuckets + HourBuckets;
    private const long MaxTicks = 3_155_378_975_999_999_999; // DateTime.MaxValue.Ticks

    private readonly uint[] _counts = new uint[MinuteBuckets + HourBuckets + DayBuckets];
    private Ring _minute = Ring.Empty;
    private Ring _hour = Ring.Empty;
    private Ring _day = Ring.Empty;
    private long _acceptedCount;
    private long _ignoredCount;
    private long _newestTicks;

    /// <summary>Creates empty windows (about 800 bytes).</summary>
    public RateWindows()
    {
    }

    /// <summary>The number of events counted (in the day window at least when they arrived).</summary>
    public long AcceptedCount => _acceptedCount;

    /// <summary>The number of events ignored: older than the day ring when they arrived, or ticks outside the DateTime range.</summary>
    public long IgnoredCount => _ignoredCount;

    /// <summary>The newest accepted timestamp in UTC ticks; 0 when nothing was accepted.</summary>
    public long NewestUtcTicks => _newestTicks;

    /// <summary>Events in the last minute (60 one-second buckets) as of the newest accepted event. O(1).</summary>
    public long MinuteCount => _minute.Total;

    /// <summary>Events in the last hour (60 one-minute buckets) as of the newest accepted event. O(1).</summary>
    public long HourCount => _hour.Total;

    /// <summary>Events in the last day (48 half-hour buckets) as of the newest accepted event. O(1).</summary>
    public long DayCount => _day.Total;

    /// <summary>Counts one event at <paramref name="utcTicks"/>. O(1), no allocation, never throws.</summary>
    /// <param name="utcTicks">The event's UTC time in DateTime ticks; values outside the DateTime range are ignored and counted.</param>
    [SkipLocalsInit]
    public void Add(long utcTicks)
    {
        if ((ulong)utcTicks > MaxTicks)
        {
            _ignoredCount++;
            return;
        }
        uint[] counts = _counts;
        // The day ring has the longest span, so it alone decides whether the event is ignored.
        if (!AddToRing(ref _day, counts, DayOffset, DayBuckets, utcTicks / DayBucketTicks, 1))
        {
            _ignoredCount++;
            return;
        }
        AddToRing(ref _hour, counts, HourOffset, HourBuckets, utcTicks / HourBucketTicks, 1);
        AddToRing(ref _minute, counts, MinuteOffset, MinuteBuckets, utcTicks / MinuteBucketTicks, 1);
        _acceptedCount++;
        if (utcTicks > _newestTicks) _newestTicks = utcTicks;
    }

    /// <summary>Counts one event at <paramref name="timestamp"/> (converted to UTC). O(1), no allocation, never throws.</summary>
    /// <param name="timestamp">The event's time.</param>
    public void Add(DateTimeOffset timestamp) => Add(timestamp.UtcTicks);

    /// <summary>
    /// Events in the last minute as of <paramref name="asOfUtcTicks"/> (within one 1-second bucket, see the remarks).
    /// A time before the newest accepted event's bucket answers as of the newest event. O(buckets).
    /// </summary>
    /// <param name="asOfUtcTicks">The query time in UTC DateTime ticks.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ticks are outside the DateTime range.</exception>
    public long GetMinuteCount(long asOfUtcTicks) =>
        CountAsOf(in _minute, MinuteOffset, MinuteBuckets, BucketOf(asOfUtcTicks, MinuteBucketTicks));

    /// <summary>
    /// Events in the last hour as of <paramref name="asOfUtcTicks"/> (within one 1-minute bucket, see the remarks).
    /// A time before the newest accepted event's bucket answers as of the newest event. O(buckets).
    /// </summary>
    /// <param name="asOfUtcTicks">The query time in UTC DateTime ticks.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ticks are outside the DateTime range.</exception>
    public long GetHourCount(long asOfUtcTicks) =>
        CountAsOf(in _hour, HourOffset, HourBuckets, BucketOf(asOfUtcTicks, HourBucketTicks));

    /// <summary>
    /// Events in the last day as of <paramref name="asOfUtcTicks"/> (within one 30-minute bucket, see the remarks).
    /// A time before the newest accepted event's bucket answers as of the newest event. O(buckets).
    /// </summary>
    /// <param name="asOfUtcTicks">The query time in UTC DateTime ticks.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The ticks are outside the DateTime range.</exception>
    public long GetDayCount(long asOfUtcTicks) =>
        CountAsOf(in _day, DayOffset, DayBuckets, BucketOf(asOfUtcTicks, DayBucketTicks));

    /// <summary>
    /// Merges <paramref name="other"/> into this instance: afterwards every window answers as if this instance had seen
    /// both streams, exactly. <see cref="AcceptedCount"/> and <see cref="IgnoredCount"/> become the sums of both (which
    /// events are ignored depends on arrival order, so one instance fed both streams may count them differently).
    /// O(buckets), no allocation.
    /// </summary>
    /// <param name="other">Another instance (the same one is allowed: it doubles the counts).</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void Merge(RateWindows other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            var copy = FromBytes(ToBytes());
            Merge(copy);
            return;
        }
        _ignoredCount += other._ignoredCount;
        if (other._acceptedCount == 0) return;
        MergeRing(ref _minute, in other._minute, other._counts, MinuteOffset, MinuteBuckets);
        MergeRing(ref _hour, in other._hour, other._counts, HourOffset, HourBuckets);
        MergeRing(ref _day, in other._day, other._counts, DayOffset, DayBuckets);
        _acceptedCount += other._acceptedCount;
        if (other._newestTicks > _newestTicks) _newestTicks = other._newestTicks;
    }

    /// <summary>Empties every window and resets the counters. O(buckets).</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        _minute = _hour = _day = Ring.Empty;
        _acceptedCount = _ignoredCount = _newestTicks = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AddToRing(ref Ring ring, uint[] counts, int offset, int length, long bucket, uint count)
    {
        long head = ring.Head;
        if (bucket > head)
            Advance(ref ring, counts, offset, length, bucket);
        else if (bucket <= head - length)
            return false;
        counts[offset + (int)(bucket % length)] += count;
        ring.Total += count;
        return true;
    }

    // Moves the head forward to 'bucket', clearing the buckets that slide out (at most 'length' of them).
    private static void Advance(ref Ring ring, uint[] counts, int offset, int length, long bucket)
    {
        long head = ring.Head;
        if (bucket - head >= length)
        {
            Array.Clear(counts, offset, length);
            ring.Total = 0;
        }
        else
        {
            for (long k = head + 1; k <= bucket; k++)
            {
                ref uint slot = ref counts[offset + (int)(k % length)];
                ring.Total -= slot;
                slot = 0;
            }
        }
        ring.Head = bucket;
    }

    private long CountAsOf(in Ring ring, int offset, int length, long bucket)
    {
        if (bucket <= ring.Head) return ring.Total;
        long firstKept = bucket - length + 1;
        if (firstKept > ring.Head) return 0;
        long total = ring.Total;
        for (long k = Math.Max(ring.Head - length + 1, 0); k < firstKept; k++)
            total -= _counts[offset + (int)(k % length)];
        return total;
    }

    private void MergeRing(ref Ring ring, in Ring theirs, uint[] theirCounts, int offset, int length)
    {
        if (theirs.Head > ring.Head)
            Advance(ref ring, _counts, offset, length, theirs.Head);
        long from = Math.Max(Math.Max(ring.Head, theirs.Head) - length + 1, Math.Max(theirs.Head - length + 1, 0));
        for (long k = from; k <= theirs.Head; k++)
        {
            int slot = offset + (int)(k % length);
            uint c = theirCounts[slot];
            _counts[slot] += c;
            ring.Total += c;
        }
    }

    private static long BucketOf(long utcTicks, long bucketTicks)
    {
        if ((ulong)utcTicks > MaxTicks)
            throw new ArgumentOutOfRangeException(nameof(utcTicks), utcTicks, "The time must be within the DateTime range.");
        return utcTicks / bucketTicks;
    }

    private struct Ring
    {
        public static Ring Empty => new() { Head = -1, Total = 0 };

        public long Head;   // bucket index of the newest bucket in the ring; -1 before the first event
        public long Total;  // sum of the ring's buckets
    }
}
