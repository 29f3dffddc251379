using System.Runtime.CompilerServices;
using DistillDetect.Serialization;

namespace DistillDetect.RatePatterns;

/// <summary>
/// Streaming statistics of the gaps between one account's requests: count, first and last time, Welford
/// mean and variance, coefficient of variation, burstiness, memory coefficient, minimum gap, an octave
/// histogram of gaps and the most recent 32 gaps (for the KS test, conditional entropy and period), and
/// the 1-hour bin counts behind the index of dispersion. <see cref="AccountTiming"/> pairs it with an
/// <see cref="ActivityHistogram"/> and produces the <see cref="TimingSummary"/>.
/// </summary>
/// <remarks>
/// <para>Timestamps are UTC <see cref="DateTime.Ticks"/> (100 ns, exact integers). Gaps are taken over the
/// sorted stream: a timestamp may arrive up to <see cref="ReorderWindow"/> later than the newest one seen
/// and is put in order in a small buffer of <see cref="ReorderCapacity"/> timestamps. A timestamp older
/// than the window, or older than one already released from a full buffer, is counted in
/// <see cref="DroppedOutOfOrder"/> and ignored. So the order of arrivals does not change any figure as
/// long as each arrives within the window and at most <see cref="ReorderCapacity"/> are pending at once.
/// Duplicate timestamps are kept and give a gap of 0 (they count as requests; they lower the minimum gap
/// and raise burstiness). Values outside the DateTime range are counted in <see cref="DroppedInvalid"/>.</para>
/// <para>Memory: 632 bytes, one object, whatever the stream length. Update: O(1) amortized (the
/// buffer holds at most 8), no allocation, never throws.</para>
/// <para>Not thread-safe: one writer at a time (shard by account). Readers must not run during an update.</para>
/// </remarks>
public sealed class InterArrivalStatistics
{
    /// <summary>Largest reorder buffer allowed.</summary>
    public const int MaxReorderCapacity = InterArrivalState.MaxReorderCapacity;

    /// <summary>Gaps kept exactly for the KS test, conditional entropy and period.</summary>
    public const int RecentGapCapacity = InterArrivalState.RecentCapacity;

    /// <summary>The default reorder window, 1 second.</summary>
    public static readonly TimeSpan DefaultReorderWindow = TimeSpan.FromSeconds(1);

    internal const string Magic = "DDIA";
    internal const ushort FormatVersion = 1;

    internal InterArrivalState State;

    /// <summary>Creates an empty state with a 1-second reorder window and an 8-timestamp buffer.</summary>
    public InterArrivalStatistics()
        : this(DefaultReorderWindow, MaxReorderCapacity)
    {
    }

    /// <summary>Creates an empty state.</summary>
    /// <param name="reorderWindow">How late (behind the newest timestamp seen) a timestamp may arrive and still be put in order; zero for sorted input.</param>
    /// <param name="reorderCapacity">Timestamps held for reordering, 0 to <see cref="MaxReorderCapacity"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The window is negative or the capacity outside 0 to 8.</exception>
    public InterArrivalStatistics(TimeSpan reorderWindow, int reorderCapacity = MaxReorderCapacity)
    {
        if (reorderWindow < TimeSpan.Zero) ThrowHelper.OutOfRange(nameof(reorderWindow), "The reorder window cannot be negative.");
        if ((uint)reorderCapacity > MaxReorderCapacity) ThrowHelper.OutOfRange(nameof(reorderCapacity), $"The reorder capacity must be 0 to {MaxReorderCapacity}.");
        State = new InterArrivalState(reorderWindow.Ticks, reorderCapacity);
    }

    private InterArrivalStatistics(in InterArrivalState state) => State = state;

    /// <summary>How late a timestamp may arrive and still be put in order.</summary>
    public TimeSpan ReorderWindow => TimeSpan.FromTicks(State.WindowTicks);

    /// <summary>Timestamps held for reordering.</summary>
    public int ReorderCapacity => State.ReorderCapacity;

    /// <summary>Accepted timestamps (including those still in the reorder buffer).</summary>
    public long Count => State.Accepted;

    /// <summary>Timestamps dropped for arriving later than the reorder window allows.</summary>
    public long DroppedOutOfOrder => State.DroppedOutOfOrder;

    /// <summary>Timestamps dropped for lying outside the DateTime range.</summary>
    public long DroppedInvalid => State.DroppedInvalid;

    /// <summary>Adds one request time (UTC <see cref="DateTime.Ticks"/>). O(1), no allocation, never throws.</summary>
    /// <returns>True when accepted; false when dropped (out of order beyond the window, or out of range).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(long utcTicks) => State.Add(utcTicks);

    /// <summary>Adds one request time (converted to UTC); see <see cref="Add(long)"/>.</summary>
    public bool Add(DateTimeOffset timestamp) => State.Add(timestamp.UtcTicks);

    // The properties read the few scalars they need with the reorder buffer applied (FlushedMoments), never a
    // copy of the whole 616-byte state.

    /// <summary>Earliest accepted timestamp (UTC), or null when empty. O(pending), no allocation.</summary>
    public DateTimeOffset? First => State.FlushedMoments() is { Count: > 0 } s ? new DateTimeOffset(s.First, TimeSpan.Zero) : null;

    /// <summary>Latest accepted timestamp (UTC), or null when empty. O(pending), no allocation.</summary>
    public DateTimeOffset? Last => State.FlushedMoments() is { Count: > 0 } s ? new DateTimeOffset(s.Last, TimeSpan.Zero) : null;

    /// <summary>Mean gap, seconds; NaN with fewer than 2 timestamps. O(pending), no allocation.</summary>
    public double MeanGapSeconds => State.FlushedMoments() is { Count: >= 2 } s ? s.Mean : double.NaN;

    /// <summary>Sample variance of gaps (n - 1 denominator), seconds squared; NaN with fewer than 3 timestamps. O(pending), no allocation.</summary>
    public double GapVarianceSeconds2 => State.FlushedMoments() is { Count: >= 3 } s ? s.M2 / (s.Gaps - 1) : double.NaN;

    /// <summary>Shortest gap, seconds; NaN with fewer than 2 timestamps. O(pending), no allocation.</summary>
    public double MinGapSeconds => State.FlushedMoments() is { Count: >= 2 } s ? s.MinGap * TimingMath.SecondsPerTick : double.NaN;

    /// <summary>The state with its reorder buffer applied (a copy; this state is unchanged).</summary>
    internal InterArrivalState Flushed()
    {
        if (State.Pending == 0) return State;
        InterArrivalState copy = State;
        copy.Flush();
        return copy;
    }

    /// <summary>
    /// Adds <paramref name="other"/>'s stream to this one (<paramref name="other"/> is unchanged). When one
    /// stream's time range follows the other's (either order), the result equals the state of the
    /// concatenated stream, up to floating-point rounding of the moments (Chan et al. 1979). When the ranges
    /// overlap (two gateways seeing the same account at once), the gaps inside each part are pooled: the
    /// gaps of the interleaved stream cannot be recovered from the two states, so gap figures then describe
    /// each part's own rhythm, and a shared hour counts as two hour bins in the dispersion index. Both
    /// reorder buffers are applied first. O(1).
    /// </summary>
    /// <exception cref="ArgumentException">The two states have different reorder parameters.</exception>
    public void Merge(InterArrivalStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.State.WindowTicks != State.WindowTicks || other.State.ReorderCapacity != State.ReorderCapacity)
            ThrowHelper.ParametersDiffer(nameof(other), "Cannot merge inter-arrival statistics with different reorder windows or capacities.");
        InterArrivalState mine = Flushed();
        InterArrivalState theirs = other.Flushed();
        State = InterArrivalState.Combine(mine, theirs);
    }

    /// <summary>Serializes the state, reorder buffer included (versioned, checksummed envelope).</summary>
    public byte[] ToBytes()
    {
        var w = new StateWriter(Magic, FormatVersion);
        Write(w, State);
        return w.ToArray();
    }

    /// <summary>Restores a state written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated, inconsistent, of another type or of a newer format version.</exception>
    public static InterArrivalStatistics FromBytes(ReadOnlySpan<byte> data)
    {
        var r = new StateReader(data, Magic, FormatVersion, "inter-arrival statistics");
        InterArrivalState s = Read(ref r);
        r.EnsureEnd();
        return new InterArrivalStatistics(s);
    }

    internal static void Write(StateWriter w, in InterArrivalState s)
    {
        w.WriteInt64(s.WindowTicks);
        w.WriteInt32(s.ReorderCapacity);
        w.WriteInt64(s.Count);
        w.WriteInt64(s.First);
        w.WriteInt64(s.Last);
        w.WriteInt64(s.MaxSeen);
        w.WriteInt64(s.DroppedOutOfOrder);
        w.WriteInt64(s.DroppedInvalid);
        w.WriteDouble(s.Mean);
        w.WriteDouble(s.M2);
        w.WriteInt64(s.MinGap);
        w.WriteInt64(s.FirstGap);
        w.WriteInt64(s.LastGap);
        w.WriteDouble(s.PairMeanX);
        w.WriteDouble(s.PairMeanY);
        w.WriteDouble(s.PairM2X);
        w.WriteDouble(s.PairM2Y);
        w.WriteDouble(s.PairC);
        w.WriteInt64(s.CurrentHour);
        w.WriteInt64(s.CurrentHourCount);
        w.WriteInt64(s.FirstHourCount);
        w.WriteUInt64((ulong)(s.ClosedSumOfSquares >> 64));
        w.WriteUInt64((ulong)s.ClosedSumOfSquares);
        w.WriteInt32(s.Pending);
        ReadOnlySpan<long> pending = s.Reorder;
        for (int i = 0; i < s.Pending; i++) w.WriteInt64(pending[i]);
        Span<long> recent = stackalloc long[InterArrivalState.RecentCapacity];
        int n = s.CopyRecent(recent);
        w.WriteInt32(n);
        for (int i = 0; i < n; i++) w.WriteInt64(recent[i]);
        ReadOnlySpan<uint> bins = s.Bins;
        for (int i = 0; i < bins.Length; i++) w.WriteUInt32(bins[i]);
    }

    internal static InterArrivalState Read(ref StateReader r)
    {
        const string what = "inter-arrival statistics";
        long window = r.ReadInt64();
        int capacity = r.ReadInt32();
        if (window < 0 || (uint)capacity > MaxReorderCapacity)
            throw new InvalidDataException($"{what}: reorder parameters out of range (window {window} ticks, capacity {capacity}).");
        var s = new InterArrivalState(window, capacity)
        {
            Count = r.ReadInt64(),
            First = r.ReadInt64(),
            Last = r.ReadInt64(),
        };
        // MaxSeen and CurrentHour are derived from the rest of the state (see InterArrivalState);
        // the format keeps them, and a stored value that disagrees marks an inconsistent state.
        long maxSeen = r.ReadInt64();
        s.DroppedOutOfOrder = r.ReadInt64();
        s.DroppedInvalid = r.ReadInt64();
        s.Mean = r.ReadDouble();
        s.M2 = r.ReadDouble();
        s.MinGap = r.ReadInt64();
        s.FirstGap = r.ReadInt64();
        s.LastGap = r.ReadInt64();
        s.PairMeanX = r.ReadDouble();
        s.PairMeanY = r.ReadDouble();
        s.PairM2X = r.ReadDouble();
        s.PairM2Y = r.ReadDouble();
        s.PairC = r.ReadDouble();
        long currentHour = r.ReadInt64();
        s.CurrentHourCount = r.ReadInt64();
        s.FirstHourCount = r.ReadInt64();
        ulong hi = r.ReadUInt64(), lo = r.ReadUInt64();
        s.ClosedSumOfSquares = new UInt128(hi, lo);
        if (s.Count < 0 || s.DroppedOutOfOrder < 0 || s.DroppedInvalid < 0 || (ulong)s.First > InterArrivalState.MaxTicks
            || (ulong)s.Last > InterArrivalState.MaxTicks || s.Last < s.First || (s.Count > 0 && maxSeen < s.Last))
            throw new InvalidDataException($"{what}: counts or times are inconsistent.");
        if (s.Count > 0 && (currentHour != s.Last / InterArrivalState.TicksPerHour || s.CurrentHourCount < 1 || s.CurrentHourCount > s.Count
            || (s.ClosedSumOfSquares != UInt128.Zero && (s.FirstHourCount < 1 || s.FirstHourCount > s.Count))))
            throw new InvalidDataException($"{what}: hour bins are inconsistent with the times.");
        int pending = r.ReadInt32();
        if (pending < 0 || pending > capacity)
            throw new InvalidDataException($"{what}: {pending} pending timestamps exceed the capacity {capacity}.");
        s.Pending = (byte)pending;
        Span<long> buf = s.Reorder;
        for (int i = 0; i < pending; i++)
        {
            buf[i] = r.ReadInt64();
            if ((ulong)buf[i] > InterArrivalState.MaxTicks || (i > 0 && buf[i] < buf[i - 1]) || (s.Count > 0 && buf[i] < s.Last) || buf[i] > maxSeen)
                throw new InvalidDataException($"{what}: the reorder buffer is not in order.");
        }
        if (s.Count + pending > 0 && maxSeen != s.MaxSeen)
            throw new InvalidDataException($"{what}: the newest timestamp {maxSeen} is neither the last pending one nor the last processed one.");
        int recent = r.ReadInt32();
        if (recent < 0 || recent > InterArrivalState.RecentCapacity || recent > s.Gaps)
            throw new InvalidDataException($"{what}: {recent} recent gaps for {s.Gaps} gaps.");
        for (int i = 0; i < recent; i++)
        {
            long g = r.ReadInt64();
            if (g < 0) throw new InvalidDataException($"{what}: negative gap.");
            s.Recent[i] = g;
        }
        s.RecentCount = (byte)recent;
        s.RecentHead = (byte)(recent & (InterArrivalState.RecentCapacity - 1));
        long binTotal = 0;
        for (int i = 0; i < TimingMath.GapBinCount; i++)
        {
            s.Bins[i] = r.ReadUInt32();
            binTotal += s.Bins[i];
        }
        if (binTotal != s.Gaps)
            throw new InvalidDataException($"{what}: the gap histogram holds {binTotal} gaps, the count says {s.Gaps}.");
        return s;
    }
}
