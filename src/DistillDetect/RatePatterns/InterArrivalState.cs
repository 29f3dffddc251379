using System.Runtime.CompilerServices;

namespace DistillDetect.RatePatterns;

/// <summary>
/// The value-type core of <see cref="InterArrivalStatistics"/>: everything lives inline (616 bytes),
/// so a summary can copy it, flush the copy's reorder buffer and compute without touching the live state.
/// </summary>
internal struct InterArrivalState
{
    internal const int MaxReorderCapacity = 8;
    internal const int RecentCapacity = 32;
    internal const long MaxTicks = 3155378975999999999; // DateTime.MaxValue.Ticks
    internal const long TicksPerHour = TimeSpan.TicksPerHour;

    public long WindowTicks;
    public long Count;          // processed (released from the reorder buffer) timestamps
    public long First, Last;
    public long DroppedOutOfOrder, DroppedInvalid;

    // Welford (1962) running mean and sum of squared deviations of gaps, in seconds.
    public double Mean, M2;
    public long MinGap, FirstGap, LastGap;

    // Co-moments of consecutive gap pairs (tau_i, tau_i+1) for the memory coefficient.
    public double PairMeanX, PairMeanY, PairM2X, PairM2Y, PairC;

    // Counts in 1-hour bins: the open (current) hour, the first hour, and the sum of squares of closed hours
    // (a UInt128 kept as two halves: a UInt128 field would align the whole struct to 16 bytes).
    public long CurrentHourCount, FirstHourCount;
    private ulong _closedSumOfSquaresHigh, _closedSumOfSquaresLow;

    public ReorderTicks Reorder;
    public RecentGapTicks Recent;
    public GapBinCounts Bins;

    // Small counters last, as bytes (capacity <= 8, pending <= 8, ring positions <= 32): the struct is laid
    // out sequentially, so they share the tail's padding instead of taking 8 bytes each.
    public byte ReorderCapacity, Pending, RecentHead, RecentCount;

    public InterArrivalState(long windowTicks, int reorderCapacity)
    {
        WindowTicks = windowTicks;
        ReorderCapacity = (byte)reorderCapacity;
        MinGap = long.MaxValue;
    }

    public readonly long Gaps => Count > 0 ? Count - 1 : 0;

    public readonly long Accepted => Count + Pending;

    // Derived rather than stored (each saves 8 bytes per account): the newest accepted timestamp is the last
    // pending one (the buffer is sorted and never releases its newest entry) or, with nothing pending, Last;
    // the open hour is Last's hour.

    /// <summary>Newest accepted timestamp (0 while empty).</summary>
    public readonly long MaxSeen => Pending > 0 ? Reorder[Pending - 1] : Last;

    /// <summary>Hour (since 0001-01-01) of the open hour bin: that of <see cref="Last"/>.</summary>
    public readonly long CurrentHour => (long)((ulong)Last / TicksPerHour);

    public UInt128 ClosedSumOfSquares
    {
        readonly get => new(_closedSumOfSquaresHigh, _closedSumOfSquaresLow);
        set
        {
            _closedSumOfSquaresHigh = (ulong)(value >> 64);
            _closedSumOfSquaresLow = (ulong)value;
        }
    }

    /// <summary>Accepts or drops one timestamp; true when accepted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(long t)
    {
        if ((ulong)t > MaxTicks)
        {
            DroppedInvalid++;
            return false;
        }
        int pending = Pending;
        if (Count + pending != 0 && ((Count != 0 && t < Last) || t < (pending > 0 ? Reorder[pending - 1] : Last) - WindowTicks))
        {
            DroppedOutOfOrder++;
            return false;
        }
        if (pending == 0 && (WindowTicks == 0 || ReorderCapacity == 0))
        {
            Process(t);
        }
        else
        {
            AddBuffered(t);
        }
        return true;
    }

    private void AddBuffered(long t)
    {
        Span<long> buf = Reorder;
        int i = Pending;
        if (i == MaxReorderCapacity)
        {
            // Full (capacity 8): the smallest of the 9 timestamps is released first whatever the window, so
            // release it before inserting and the buffer needs no ninth slot.
            if (t <= buf[0])
            {
                Process(t);
                Release();
                return;
            }
            Process(buf[0]);
            for (int j = 1; j < i; j++) buf[j - 1] = buf[j];
            i--;
            Pending--;
        }
        while (i > 0 && buf[i - 1] > t)
        {
            buf[i] = buf[i - 1];
            i--;
        }
        buf[i] = t;
        Pending++;
        Release();
    }

    private void Release()
    {
        Span<long> buf = Reorder;
        long limit = buf[Pending - 1] - WindowTicks; // called with at least one pending: MaxSeen
        int released = 0;
        while (released < Pending && (buf[released] <= limit || Pending - released > ReorderCapacity))
        {
            Process(buf[released]);
            released++;
        }
        if (released > 0)
        {
            // At most 8 entries: a plain loop beats a memmove call here.
            int left = Pending - released;
            for (int i = 0; i < left; i++) buf[i] = buf[i + released];
            Pending = (byte)left;
        }
    }

    /// <summary>Processes every pending timestamp (used on copies for summaries, and before merges).</summary>
    public void Flush()
    {
        Span<long> buf = Reorder;
        for (int i = 0; i < Pending; i++) Process(buf[i]);
        Pending = 0;
    }

    /// <summary>Applies one timestamp of the sorted stream: t is at least <see cref="Last"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Process(long t)
    {
        // Times are non-negative (checked on entry), so unsigned division by the constant (a multiply and a shift).
        ulong hour = (ulong)t / TicksPerHour;
        if (Count == 0)
        {
            Count = 1;
            First = Last = t;
            CurrentHourCount = 1;
            FirstHourCount = 1;
            return;
        }
        long gapTicks = t - Last;
        double g = gapTicks * TimingMath.SecondsPerTick;
        long n = Count; // gaps after this one
        Count = n + 1;
        double r = AddGapMoments(ref Mean, ref M2, n, g);
        if (gapTicks < MinGap) MinGap = gapTicks;
        if (n == 1)
        {
            FirstGap = gapTicks;
        }
        else
        {
            double invPairs = n * r;
            double x = LastGap * TimingMath.SecondsPerTick;
            double dx = x - PairMeanX;
            PairMeanX += dx * invPairs;
            double dy = g - PairMeanY;
            PairMeanY += dy * invPairs;
            PairM2X += dx * (x - PairMeanX);
            PairM2Y += dy * (g - PairMeanY);
            PairC += dx * (g - PairMeanY);
        }
        LastGap = gapTicks;
        Bins[TimingMath.GapBin(gapTicks)]++;
        PushRecent(gapTicks);
        if (hour == (ulong)Last / TicksPerHour)
        {
            CurrentHourCount++;
        }
        else
        {
            // The first hour's count is frozen when it closes (until then it is the current hour's count).
            if (ClosedSumOfSquares == UInt128.Zero) FirstHourCount = CurrentHourCount;
            ClosedSumOfSquares += (UInt128)(ulong)CurrentHourCount * (ulong)CurrentHourCount;
            CurrentHourCount = 1;
        }
        Last = t;
    }

    /// <summary>
    /// Welford's update of the gap mean and sum of squared deviations with the n-th gap <paramref name="g"/>
    /// (n >= 1); returns r = 1/(n(n-1)) (0 for n = 1), which the pair co-moments reuse. One division gives
    /// both 1/n and 1/(n-1): 1/n = (n-1) r, 1/(n-1) = n r, each within 2 ulps of the quotient, which
    /// Welford's update tolerates (the error does not accumulate).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double AddGapMoments(ref double mean, ref double m2, long n, double g)
    {
        double dn = n;
        double r = n > 1 ? 1.0 / (dn * (dn - 1)) : 0;
        double invN = n > 1 ? (dn - 1) * r : 1.0;
        double delta = g - mean;
        mean += delta * invN;
        m2 += delta * (g - mean);
        return r;
    }

    /// <summary>
    /// Count, first and last time, gap mean, M2 and minimum as they will be once the reorder buffer is
    /// flushed, without copying the state: the pending timestamps (at most 8) are applied to scalar copies
    /// with the same arithmetic as <see cref="Process"/>, so the figures equal those of a flushed copy bit for bit.
    /// </summary>
    public readonly GapMoments FlushedMoments()
    {
        long count = Count, first = First, last = Last, minGap = MinGap;
        double mean = Mean, m2 = M2;
        ReadOnlySpan<long> pending = Reorder;
        for (int i = 0; i < Pending; i++)
        {
            long t = pending[i];
            if (count == 0)
            {
                count = 1;
                first = last = t;
                continue;
            }
            long gap = t - last;
            AddGapMoments(ref mean, ref m2, count, gap * TimingMath.SecondsPerTick);
            count++;
            if (gap < minGap) minGap = gap;
            last = t;
        }
        return new GapMoments(count, first, last, mean, m2, minGap);
    }

    /// <summary>Copies the recent gaps, oldest first, into <paramref name="destination"/>; returns how many.</summary>
    public readonly int CopyRecent(Span<long> destination)
    {
        ReadOnlySpan<long> ring = Recent;
        int start = (RecentHead - RecentCount) & (RecentCapacity - 1);
        for (int i = 0; i < RecentCount; i++) destination[i] = ring[(start + i) & (RecentCapacity - 1)];
        return RecentCount;
    }

    /// <summary>Sum of squared counts over the 1-hour bins from the first to the last hour.</summary>
    /// <summary>Requests in the first hour bin.</summary>
    public readonly long FirstHourTotal => ClosedSumOfSquares == UInt128.Zero ? CurrentHourCount : FirstHourCount;

    public readonly UInt128 HourSumOfSquares => ClosedSumOfSquares + (UInt128)(ulong)CurrentHourCount * (ulong)CurrentHourCount;

    /// <summary>
    /// Combines two flushed states. When one's range follows the other's (in either order), the result is
    /// the state of the concatenated stream (up to floating-point rounding): the junction gap between them is
    /// added. When the ranges overlap, the two parts' own gaps are pooled and the one gap the merged count
    /// implies beyond them is taken to be the pooled mean (so mean and variance are the pooled ones).
    /// </summary>
    public static InterArrivalState Combine(in InterArrivalState a, in InterArrivalState b)
    {
        if (b.Count == 0) return WithDrops(a, b);
        if (a.Count == 0) return WithDrops(b, a);
        if (b.First >= a.Last) return Sequential(a, b);
        if (a.First >= b.Last) return Sequential(b, a);
        return Overlapping(a, b);
    }

    private static InterArrivalState WithDrops(in InterArrivalState kept, in InterArrivalState other)
    {
        InterArrivalState r = kept;
        r.DroppedOutOfOrder += other.DroppedOutOfOrder;
        r.DroppedInvalid += other.DroppedInvalid;
        return r;
    }

    private static InterArrivalState Sequential(in InterArrivalState x, in InterArrivalState y)
    {
        InterArrivalState r = x;
        long junction = y.First - x.Last;
        double j = junction * TimingMath.SecondsPerTick;
        long nx = x.Gaps, ny = y.Gaps;
        // Chan, Golub and LeVeque (1979): pairwise combination of (n, mean, M2), here x + {junction} + y.
        (double mean, double m2) = Chan(nx, x.Mean, x.M2, 1, j, 0);
        (r.Mean, r.M2) = Chan(nx + 1, mean, m2, ny, y.Mean, y.M2);

        // Consecutive pairs: x's pairs, (x.last gap, junction), (junction, y.first gap), y's pairs.
        long pairs = nx > 1 ? nx - 1 : 0;
        double px = x.PairMeanX, py = x.PairMeanY, pxx = x.PairM2X, pyy = x.PairM2Y, pxy = x.PairC;
        if (nx >= 1) AddPair(ref pairs, ref px, ref py, ref pxx, ref pyy, ref pxy, x.LastGap * TimingMath.SecondsPerTick, j);
        if (ny >= 1) AddPair(ref pairs, ref px, ref py, ref pxx, ref pyy, ref pxy, j, y.FirstGap * TimingMath.SecondsPerTick);
        long yPairs = ny > 1 ? ny - 1 : 0;
        CombinePairs(ref pairs, ref px, ref py, ref pxx, ref pyy, ref pxy, yPairs, y.PairMeanX, y.PairMeanY, y.PairM2X, y.PairM2Y, y.PairC);
        (r.PairMeanX, r.PairMeanY, r.PairM2X, r.PairM2Y, r.PairC) = (px, py, pxx, pyy, pxy);

        r.MinGap = Math.Min(Math.Min(x.MinGap, y.MinGap), junction);
        r.FirstGap = nx >= 1 ? x.FirstGap : junction;
        r.LastGap = ny >= 1 ? y.LastGap : junction;
        for (int i = 0; i < TimingMath.GapBinCount; i++) r.Bins[i] = x.Bins[i] + y.Bins[i];
        r.Bins[TimingMath.GapBin(junction)]++;

        // The newest gaps: y's, then the junction, then x's, as far as the ring holds.
        Span<long> xs = stackalloc long[RecentCapacity];
        Span<long> ys = stackalloc long[RecentCapacity];
        int xn = x.CopyRecent(xs), yn = y.CopyRecent(ys);
        r.RecentHead = 0;
        r.RecentCount = 0;
        Span<long> all = stackalloc long[2 * RecentCapacity + 1];
        int total = 0;
        for (int i = 0; i < xn; i++) all[total++] = xs[i];
        all[total++] = junction;
        for (int i = 0; i < yn; i++) all[total++] = ys[i];
        for (int i = Math.Max(0, total - RecentCapacity); i < total; i++) r.PushRecent(all[i]);

        // Hour bins: x's last hour may be y's first hour.
        long xLastHour = x.CurrentHour, yFirstHour = y.First / TicksPerHour;
        bool xSingleHour = x.First / TicksPerHour == xLastHour;
        bool ySingleHour = yFirstHour == y.CurrentHour;
        if (xLastHour < yFirstHour)
        {
            r.ClosedSumOfSquares = x.HourSumOfSquares + y.ClosedSumOfSquares;
            r.CurrentHourCount = y.CurrentHourCount;
            r.FirstHourCount = x.FirstHourTotal;
        }
        else
        {
            long shared = x.CurrentHourCount + y.FirstHourTotal;
            if (ySingleHour)
            {
                r.ClosedSumOfSquares = x.ClosedSumOfSquares;
                r.CurrentHourCount = shared;
            }
            else
            {
                r.ClosedSumOfSquares = x.ClosedSumOfSquares + (UInt128)(ulong)shared * (ulong)shared
                    + (y.ClosedSumOfSquares - (UInt128)(ulong)y.FirstHourTotal * (ulong)y.FirstHourTotal);
                r.CurrentHourCount = y.CurrentHourCount;
            }
            r.FirstHourCount = xSingleHour ? shared : x.FirstHourCount;
        }
        r.Count = x.Count + y.Count;
        r.First = x.First;
        r.Last = y.Last;
        r.DroppedOutOfOrder = x.DroppedOutOfOrder + y.DroppedOutOfOrder;
        r.DroppedInvalid = x.DroppedInvalid + y.DroppedInvalid;
        r.Pending = 0;
        return r;
    }

    private static InterArrivalState Overlapping(in InterArrivalState a, in InterArrivalState b)
    {
        InterArrivalState r = a;
        (r.Mean, r.M2) = Chan(a.Gaps, a.Mean, a.M2, b.Gaps, b.Mean, b.M2);
        long pairs = a.Gaps > 1 ? a.Gaps - 1 : 0;
        double px = a.PairMeanX, py = a.PairMeanY, pxx = a.PairM2X, pyy = a.PairM2Y, pxy = a.PairC;
        CombinePairs(ref pairs, ref px, ref py, ref pxx, ref pyy, ref pxy, b.Gaps > 1 ? b.Gaps - 1 : 0, b.PairMeanX, b.PairMeanY, b.PairM2X, b.PairM2Y, b.PairC);
        (r.PairMeanX, r.PairMeanY, r.PairM2X, r.PairM2Y, r.PairC) = (px, py, pxx, pyy, pxy);
        r.MinGap = Math.Min(a.MinGap, b.MinGap);
        // early starts first, late is the other part; ending is the part that ends last (it may be early when
        // one part's range contains the other's, so early and late must be chosen independently of it).
        bool aEarly = a.First <= b.First;
        InterArrivalState early = aEarly ? a : b;
        InterArrivalState late = aEarly ? b : a;
        InterArrivalState ending = a.Last >= b.Last ? a : b;
        InterArrivalState other = a.Last >= b.Last ? b : a;
        r.FirstGap = early.Gaps >= 1 ? early.FirstGap : late.FirstGap;
        r.LastGap = ending.Gaps >= 1 ? ending.LastGap : other.LastGap;
        for (int i = 0; i < TimingMath.GapBinCount; i++) r.Bins[i] = a.Bins[i] + b.Bins[i];
        // Pooling two overlapping parts gives a.Gaps + b.Gaps gaps, one fewer than the merged count implies
        // (Gaps = Count - 1). The missing junction is filled with one gap equal to the pooled mean, which leaves
        // the mean and M2 unchanged and keeps every count consistent (the state stays serializable).
        if (a.Gaps + b.Gaps > 0)
        {
            r.Bins[TimingMath.GapBin((long)Math.Round(r.Mean / TimingMath.SecondsPerTick))]++;
        }
        else
        {
            r.Bins[TimingMath.GapBin(0)]++;
        }
        Span<long> buf = stackalloc long[RecentCapacity];
        r.RecentHead = 0;
        r.RecentCount = 0;
        int n = early.CopyRecent(buf);
        for (int i = 0; i < n; i++) r.PushRecent(buf[i]);
        n = late.CopyRecent(buf);
        for (int i = 0; i < n; i++) r.PushRecent(buf[i]);
        // Hours: each part's own hourly counts are pooled (a shared hour counts as two bins), an approximation.
        r.ClosedSumOfSquares = other.HourSumOfSquares + ending.ClosedSumOfSquares;
        r.CurrentHourCount = ending.CurrentHourCount;
        r.FirstHourCount = early.FirstHourTotal;
        r.Count = a.Count + b.Count;
        r.First = early.First;
        r.Last = ending.Last;
        r.DroppedOutOfOrder = a.DroppedOutOfOrder + b.DroppedOutOfOrder;
        r.DroppedInvalid = a.DroppedInvalid + b.DroppedInvalid;
        r.Pending = 0;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PushRecent(long gap)
    {
        Recent[RecentHead] = gap;
        RecentHead = (byte)((RecentHead + 1) & (RecentCapacity - 1));
        if (RecentCount < RecentCapacity) RecentCount++;
    }

    private static (double Mean, double M2) Chan(long na, double meanA, double m2A, long nb, double meanB, double m2B)
    {
        if (nb == 0) return (meanA, m2A);
        if (na == 0) return (meanB, m2B);
        double n = na + nb;
        double delta = meanB - meanA;
        return (meanA + delta * nb / n, m2A + m2B + delta * delta * na * nb / n);
    }

    private static void AddPair(ref long pairs, ref double mx, ref double my, ref double sxx, ref double syy, ref double sxy, double x, double y)
    {
        pairs++;
        double dx = x - mx;
        mx += dx / pairs;
        double dy = y - my;
        my += dy / pairs;
        sxx += dx * (x - mx);
        syy += dy * (y - my);
        sxy += dx * (y - my);
    }

    private static void CombinePairs(ref long pairs, ref double mx, ref double my, ref double sxx, ref double syy, ref double sxy,
        long nb, double mxb, double myb, double sxxb, double syyb, double sxyb)
    {
        if (nb == 0) return;
        if (pairs == 0)
        {
            (pairs, mx, my, sxx, syy, sxy) = (nb, mxb, myb, sxxb, syyb, sxyb);
            return;
        }
        double n = pairs + nb;
        double dx = mxb - mx, dy = myb - my;
        double w = (double)pairs * nb / n;
        sxx += sxxb + dx * dx * w;
        syy += syyb + dy * dy * w;
        sxy += sxyb + dx * dy * w;
        mx += dx * nb / n;
        my += dy * nb / n;
        pairs += nb;
    }
}
