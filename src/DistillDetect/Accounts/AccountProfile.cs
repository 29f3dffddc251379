using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistillDetect.Fingerprints;
using DistillDetect.RatePatterns;

namespace DistillDetect.Accounts;

/// <summary>
/// Compact, mergeable, serializable summary of one account's traffic: a one-permutation MinHash of the
/// set of template ids it used, a second one over (template id, time window) pairs for synchronized
/// activity (SynchroTrap, Cao et al. 2014), a distinct-template counter, the most used template ids,
/// volume, first and last seen, and its timing state and hour-of-week histogram. Its size is fixed by
/// <see cref="AccountProfileOptions"/> whatever the traffic (see <see cref="ApproximateMemoryBytes"/>).
/// <para>Thread safety: not thread-safe; one writer at a time (shard accounts across threads). Reading
/// two profiles concurrently for similarity is safe while neither is written.</para>
/// </summary>
public sealed partial class AccountProfile
{
    // Everything a profile holds, in four objects: this one (64 B: header, method table, three references,
    // three 8-byte fields), one array of 64-bit words with every sketch and counter (the parameters and the
    // offsets of each part live in the layout shared by all profiles with equal options), and the
    // RatePatterns timing state. The volume is not stored: every exchange is either accepted or counted as
    // dropped by the timing state, so the volume is their sum.
    private readonly AccountProfileLayout _layout;
    private readonly ulong[] _words;
    private double _distinctEstimate = double.NaN;
    private long _firstSeen = long.MaxValue;
    private long _lastSeen = long.MinValue;

    /// <summary>Creates an empty profile.</summary>
    /// <param name="options">Parameters; null for <see cref="AccountProfileOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public AccountProfile(AccountProfileOptions? options = null)
    {
        _layout = AccountProfileLayout.For(options);
        _words = new ulong[_layout.Words];
        AllBins.Fill(OnePermutationHashing.Empty);
        InitializeTiming();
    }

    // 16 bytes of header and method table, 3 references and 3 eight-byte fields (see ApproximateMemoryBytes).
    private const int ObjectBytes = 16 + 3 * 8 + 3 * 8;

    // A ulong[] takes its header, method table and length (24 bytes) and 8 bytes a word.
    private const int ArrayHeaderBytes = 24;

    /// <summary>The parameters of this profile.</summary>
    public AccountProfileOptions Options => _layout.Options;

    /// <summary>Number of exchanges observed.</summary>
    public long Volume
    {
        get
        {
            InterArrivalStatistics gaps = _timing.Gaps;
            return gaps.Count + gaps.DroppedOutOfOrder + gaps.DroppedInvalid;
        }
    }

    /// <summary>True when nothing has been observed.</summary>
    public bool IsEmpty => Volume == 0;

    /// <summary>UTC ticks of the earliest exchange (<see cref="long.MaxValue"/> while empty).</summary>
    public long FirstSeenTicks => _firstSeen;

    /// <summary>UTC ticks of the latest exchange (<see cref="long.MinValue"/> while empty).</summary>
    public long LastSeenTicks => _lastSeen;

    /// <summary>Lifetime from first to last exchange in seconds (0 while empty or after one exchange).</summary>
    public double LifetimeSeconds => _lastSeen < _firstSeen ? 0.0 : (_lastSeen - _firstSeen) / (double)TimeSpan.TicksPerSecond;

    /// <summary>
    /// Records one exchange: the template id of its prompt and its UTC time in <see cref="DateTime"/> ticks.
    /// O(1) (a fixed number of hashes and counter updates), no allocation, never throws: any tick value is
    /// accepted (out-of-order times are handled by the timing state's reorder window).
    /// </summary>
    /// <param name="templateId">Template id of the prompt (any value; assigned by the template index).</param>
    /// <param name="utcTicks">Time of the exchange, UTC, in 100 ns ticks.</param>
    [SkipLocalsInit]
    public void Observe(long templateId, long utcTicks)
    {
        AccountProfileLayout layout = _layout;
        // Every part lies inside _words at an offset the layout fixed when the array was sized from the same
        // layout, so the hot path addresses the parts by reference without slicing or bounds checks.
        ref ulong words = ref MemoryMarshal.GetArrayDataReference(_words);
        ref uint bins = ref Unsafe.As<ulong, uint>(ref words);
        int templateCount = layout.TemplateCount, usageCount = layout.UsageCount;
        ulong templateHash = AccountProfileLayout.Mix((ulong)templateId, layout.TemplateSeed);
        OnePermutationHashing.Update(ref bins, templateCount, templateHash);

        // Occurrence number of this template in this account, from the conservative-update count-min sketch.
        ref ushort counters = ref Unsafe.As<ulong, ushort>(ref Unsafe.Add(ref words, layout.CounterWord));
        uint width = (uint)layout.CounterWidth;
        ref ushort c1 = ref Unsafe.Add(ref counters, (int)(((templateHash & 0xFFFF_FFFFUL) * width) >> 32));
        ref ushort c2 = ref Unsafe.Add(ref counters, (int)width + (int)(((templateHash >> 32) * width) >> 32));
        int occurrence = Math.Min(c1, c2) + 1;
        if (occurrence <= ushort.MaxValue)
        {
            if (c1 < occurrence) c1 = (ushort)occurrence;
            if (c2 < occurrence) c2 = (ushort)occurrence;
        }
        ulong usageHash = layout.UsageHash(templateHash, occurrence);
        OnePermutationHashing.Update(ref Unsafe.Add(ref bins, templateCount), usageCount, usageHash);

        long window = utcTicks / layout.WindowTicks;
        ulong syncHash = AccountProfileLayout.Mix(templateHash + (ulong)window * 0x9E3779B97F4A7C15UL, layout.SyncSeed);
        ref uint sync = ref Unsafe.Add(ref bins, templateCount + usageCount);
        int syncCount = layout.SyncCount;
        uint before = Unsafe.Add(ref sync, OnePermutationHashing.Bin(syncHash, syncCount));
        int bin = OnePermutationHashing.Update(ref sync, syncCount, syncHash);
        if (Unsafe.Add(ref sync, bin) != before)
            Unsafe.Add(ref Unsafe.As<ulong, ushort>(ref Unsafe.Add(ref words, layout.SyncWindowWord)), bin) = (ushort)window;

        int k = layout.TopCount;
        ref long top = ref Unsafe.As<ulong, long>(ref Unsafe.Add(ref words, layout.TopWord));
        TopTemplateCounter.Add(MemoryMarshal.CreateSpan(ref top, k), MemoryMarshal.CreateSpan(ref Unsafe.Add(ref top, k), k), templateId);
        int precision = layout.Precision;
        HyperLogLog.AddToRegisters(MemoryMarshal.CreateSpan(ref Unsafe.As<ulong, byte>(ref Unsafe.Add(ref words, layout.RegisterWord)), 1 << precision), precision, templateHash);
        _distinctEstimate = double.NaN;
        if (utcTicks < _firstSeen) _firstSeen = utcTicks;
        if (utcTicks > _lastSeen) _lastSeen = utcTicks;
        ObserveTiming(utcTicks);
    }

    /// <summary>Records one exchange at a <see cref="DateTimeOffset"/> (converted to UTC). Thin wrapper over <see cref="Observe(long, long)"/>.</summary>
    /// <param name="templateId">Template id of the prompt.</param>
    /// <param name="time">Time of the exchange.</param>
    public void Observe(long templateId, DateTimeOffset time) => Observe(templateId, time.UtcTicks);

    /// <summary>
    /// Writes the most used template ids, most used first, into <paramref name="destination"/>; returns how
    /// many were written (at most <see cref="AccountProfileOptions.TopTemplateCount"/>). O(k^2) for k counters, no allocation.
    /// </summary>
    /// <param name="destination">Receives the entries; shorter spans receive the first entries only.</param>
    public int GetTopTemplates(Span<TemplateUsage> destination)
    {
        ReadOnlySpan<long> ids = TopIds, counts = TopCounts;
        int k = ids.Length;
        Span<bool> taken = stackalloc bool[k];
        int written = 0;
        while (written < destination.Length)
        {
            int best = -1;
            for (int i = 0; i < k; i++)
            {
                if (taken[i] || counts[i] == 0) continue;
                if (best < 0 || counts[i] > counts[best] || (counts[i] == counts[best] && ids[i] < ids[best])) best = i;
            }
            if (best < 0) break;
            taken[best] = true;
            destination[written++] = new TemplateUsage(ids[best], counts[best]);
        }
        return written;
    }

    /// <summary>
    /// Writes the dense template-set signature (<see cref="AccountProfileOptions.TemplateHashCount"/> values;
    /// empty bins filled by optimal densification, Shrivastava 2017) that LSH banding needs: two profiles'
    /// values agree at a position with probability equal to the Jaccard similarity of their template sets.
    /// O(k), no allocation. An empty profile gives all <see cref="uint.MaxValue"/>.
    /// </summary>
    /// <param name="destination">At least TemplateHashCount values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void GetTemplateSignature(Span<uint> destination)
    {
        if (destination.Length < _layout.TemplateCount) AccountsThrow.Argument($"The destination needs {_layout.TemplateCount} values.", nameof(destination));
        Densify(TemplateBins, destination, _layout.TemplateSeed);
    }

    /// <summary>Same as <see cref="GetTemplateSignature"/> for the usage-weighted multiset (<see cref="AccountProfileOptions.UsageHashCount"/> values).</summary>
    /// <param name="destination">At least UsageHashCount values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void GetUsageSignature(Span<uint> destination)
    {
        if (destination.Length < _layout.UsageCount) AccountsThrow.Argument($"The destination needs {_layout.UsageCount} values.", nameof(destination));
        Densify(UsageBins, destination, _layout.UsageSeed);
    }

    /// <summary>Same as <see cref="GetTemplateSignature"/> for the (template id, time window) set.</summary>
    /// <param name="destination">At least SynchronizationHashCount values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void GetSynchronizationSignature(Span<uint> destination)
    {
        if (destination.Length < _layout.SyncCount) AccountsThrow.Argument($"The destination needs {_layout.SyncCount} values.", nameof(destination));
        Densify(SyncBins, destination, _layout.SyncSeed);
    }

    private static void Densify(ReadOnlySpan<uint> bins, Span<uint> destination, ulong seed)
    {
        bins.CopyTo(destination);
        OnePermutationHashing.Densify(bins, OnePermutationHashing.Empty, destination[..bins.Length], seed);
    }

    /// <summary>
    /// Folds another profile into this one, so this becomes the profile of both traffic streams (two
    /// gateways' views of one account). Sketch minima, counters, volume and first/last seen combine exactly;
    /// the timing state combines as its own Merge documents. The usage-weighted sketch becomes that of the
    /// union of the two expanded multisets, i.e. each template weighs the larger of its two counts rather
    /// than their sum (exact when one part holds most of a template's exchanges). O(size of a profile), allocates nothing.
    /// </summary>
    /// <param name="other">The profile to fold in; unchanged.</param>
    /// <exception cref="ArgumentException">The options differ.</exception>
    public void Merge(AccountProfile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        AccountProfileLayout layout = _layout;
        if (!ReferenceEquals(layout, other._layout) && !layout.Options.Equals(other._layout.Options)) AccountsThrow.OptionsDiffer(nameof(other));
        Span<ulong> words = _words;
        ReadOnlySpan<ulong> theirWords = other._words;
        int offset = layout.TemplateCount + layout.UsageCount;
        Span<uint> bins = MemoryMarshal.Cast<ulong, uint>(words)[..layout.BinCount];
        ReadOnlySpan<uint> theirBins = MemoryMarshal.Cast<ulong, uint>(theirWords)[..layout.BinCount];
        OnePermutationHashing.MergeMinima(bins[..offset], theirBins[..offset]);
        Span<ushort> counters = Counters(words, layout);
        ReadOnlySpan<ushort> theirCounters = Counters(other._words, layout);
        for (int i = 0; i < counters.Length; i++) counters[i] = (ushort)Math.Min(ushort.MaxValue, counters[i] + theirCounters[i]);
        // A synchronization bin keeps the window of its minimum (the smaller window on a tie, so merging is commutative).
        Span<ushort> windows = SyncWindowsOf(words, layout);
        ReadOnlySpan<ushort> theirWindows = SyncWindowsOf(other._words, layout);
        for (int i = 0; i < windows.Length; i++)
        {
            uint mine = bins[offset + i], theirs = theirBins[offset + i];
            if (theirs < mine || (theirs == mine && theirWindows[i] < windows[i]))
            {
                bins[offset + i] = theirs;
                windows[i] = theirWindows[i];
            }
        }
        int k = layout.TopCount;
        Span<long> top = MemoryMarshal.Cast<ulong, long>(words.Slice(layout.TopWord, 2 * k));
        ReadOnlySpan<long> theirTop = MemoryMarshal.Cast<ulong, long>(theirWords.Slice(layout.TopWord, 2 * k));
        TopTemplateCounter.Merge(top[..k], top[k..], theirTop[..k], theirTop[k..]);
        HyperLogLog.MergeRegisters(Registers(words, layout), Registers(other._words, layout));
        _distinctEstimate = double.NaN;
        _firstSeen = Math.Min(_firstSeen, other._firstSeen);
        _lastSeen = Math.Max(_lastSeen, other._lastSeen);
        MergeTiming(other);
    }

    /// <summary>
    /// Makes this profile a copy of <paramref name="source"/> for reading (analysis works on such copies): every
    /// read gives what it gives on <paramref name="source"/>, as after merging <paramref name="source"/> into an
    /// empty profile, but by plain array and field copies. O(size of a profile), no allocation.
    /// </summary>
    /// <exception cref="ArgumentException">The options differ.</exception>
    internal void CopyFrom(AccountProfile source)
    {
        if (!ReferenceEquals(_layout, source._layout) && !_layout.Options.Equals(source._layout.Options)) AccountsThrow.OptionsDiffer(nameof(source));
        source._words.AsSpan().CopyTo(_words);
        _distinctEstimate = source._distinctEstimate;
        _firstSeen = source._firstSeen;
        _lastSeen = source._lastSeen;
        _timing.CopyFrom(source._timing);
    }

    /// <summary>
    /// Estimated number of distinct template ids used (HyperLogLog, <see cref="AccountProfileOptions.DistinctTemplatePrecision"/>).
    /// O(registers) on the first read after an update, then cached.
    /// </summary>
    public double DistinctTemplates
    {
        get
        {
            double e = _distinctEstimate;
            if (double.IsNaN(e)) _distinctEstimate = e = HyperLogLog.EstimateRegisters(Registers(_words, _layout));
            return e;
        }
    }

    /// <summary>
    /// Bytes this profile occupies on the managed heap: this object, its one array of sketches and counters and
    /// the timing state, headers included (the parameters live in one object shared by every profile with equal
    /// options and are not counted). Nothing grows after construction, so it is the size for any traffic; a test
    /// checks it against the allocation of a new profile. O(1).
    /// <para>With the default options: 2,024 bytes, of which
    /// 64 B this object (header and method table 16, three references 24, first seen, last seen and the cached
    /// distinct estimate 24);
    /// 888 B the word array (header 24; template bins 128, usage bins 256, synchronization bins 128, usage
    /// count-min counters 128, synchronization windows 64, top template ids and counts 96, HyperLogLog
    /// registers 64);
    /// 1,072 B the <see cref="AccountTiming"/> state (that object 32; <see cref="InterArrivalStatistics"/> 632:
    /// 32 recent gaps 256, 32 octave gap bins 128, reorder buffer 64, moments, times and counters 168, header 16;
    /// <see cref="ActivityHistogram"/> 408: 168 hour-of-week counters 336, 256-day bit set 32, counters 24,
    /// header 16). Hour-of-day counts are sums of the hour-of-week counts, not stored.
    /// Serialized (<see cref="ToBytes"/>) a profile with the default options takes at most 2,019 bytes: 1,955 once it
    /// holds 33 exchanges, plus 8 for each timestamp still pending in the timing state's reorder buffer (at most 8).
    /// Before this layout (one array per sketch, a HyperLogLog object, per-profile parameters, 32-bit hour counters
    /// on disk) a profile took 2,336 bytes in memory and about 2,300 serialized.</para>
    /// </summary>
    public int ApproximateMemoryBytes => ObjectBytes + ArrayHeaderBytes + 8 * _words.Length + AccountTiming.MemoryBytes;

    private Span<uint> AllBins => MemoryMarshal.Cast<ulong, uint>(_words.AsSpan())[.._layout.BinCount];

    internal ReadOnlySpan<uint> TemplateBins => AllBins[.._layout.TemplateCount];

    internal ReadOnlySpan<uint> UsageBins => AllBins.Slice(_layout.TemplateCount, _layout.UsageCount);

    internal ReadOnlySpan<uint> SyncBins => AllBins[(_layout.TemplateCount + _layout.UsageCount)..];

    internal ReadOnlySpan<ushort> SyncWindows => SyncWindowsOf(_words, _layout);

    internal long WindowTicks => _layout.WindowTicks;

    private ReadOnlySpan<long> TopIds => MemoryMarshal.Cast<ulong, long>(_words.AsSpan(_layout.TopWord, _layout.TopCount));

    private ReadOnlySpan<long> TopCounts => MemoryMarshal.Cast<ulong, long>(_words.AsSpan(_layout.TopWord + _layout.TopCount, _layout.TopCount));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<ushort> Counters(Span<ulong> words, AccountProfileLayout layout) =>
        MemoryMarshal.Cast<ulong, ushort>(words[layout.CounterWord..])[..(2 * layout.CounterWidth)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<ushort> SyncWindowsOf(Span<ulong> words, AccountProfileLayout layout) =>
        MemoryMarshal.Cast<ulong, ushort>(words[layout.SyncWindowWord..])[..layout.SyncCount];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<byte> Registers(Span<ulong> words, AccountProfileLayout layout) =>
        MemoryMarshal.AsBytes(words[layout.RegisterWord..])[..(1 << layout.Precision)];
}
