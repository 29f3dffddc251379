using System.Runtime.CompilerServices;
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
    private readonly AccountProfileOptions _options;
    private readonly ulong _templateSeed;
    private readonly ulong _syncSeed;
    private readonly long _windowTicks;
    private readonly ulong _usageSeed;
    private readonly int _templateCount;
    private readonly int _usageCount;
    // Template-set bins, usage bins, then synchronization bins, in one array to save object headers.
    private readonly uint[] _bins;
    private readonly ushort[] _usageCounters;
    private readonly ushort[] _syncWindows;
    private readonly long[] _topIds;
    private readonly long[] _topCounts;
    private readonly HyperLogLog _distinct;
    private double _distinctEstimate = double.NaN;
    private long _volume;
    private long _firstSeen = long.MaxValue;
    private long _lastSeen = long.MinValue;

    /// <summary>Creates an empty profile.</summary>
    /// <param name="options">Parameters; null for <see cref="AccountProfileOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public AccountProfile(AccountProfileOptions? options = null)
    {
        _options = options ?? AccountProfileOptions.Default;
        _options.Validate();
        _templateSeed = OnePermutationSketch.Mix(0x7465_6D70_6C61_7465UL, (ulong)_options.Seed);
        _syncSeed = OnePermutationSketch.Mix(0x7379_6E63_6872_6F6EUL, (ulong)_options.Seed);
        _usageSeed = OnePermutationSketch.Mix(0x7573_6167_6500_0000UL, (ulong)_options.Seed);
        _windowTicks = _options.SynchronizationWindow.Ticks;
        _templateCount = _options.TemplateHashCount;
        _usageCount = _options.UsageHashCount;
        _bins = new uint[_templateCount + _usageCount + _options.SynchronizationHashCount];
        _usageCounters = new ushort[2 * _options.UsageCounterWidth];
        OnePermutationSketch.Clear(_bins);
        _syncWindows = new ushort[_options.SynchronizationHashCount];
        _topIds = new long[_options.TopTemplateCount];
        _topCounts = new long[_options.TopTemplateCount];
        _distinct = new HyperLogLog(_options.DistinctTemplatePrecision, _options.Seed);
        InitializeTiming();
    }

    /// <summary>The parameters of this profile.</summary>
    public AccountProfileOptions Options => _options;

    /// <summary>Number of exchanges observed.</summary>
    public long Volume => _volume;

    /// <summary>True when nothing has been observed.</summary>
    public bool IsEmpty => _volume == 0;

    /// <summary>UTC ticks of the earliest exchange (<see cref="long.MaxValue"/> while empty).</summary>
    public long FirstSeenTicks => _firstSeen;

    /// <summary>UTC ticks of the latest exchange (<see cref="long.MinValue"/> while empty).</summary>
    public long LastSeenTicks => _lastSeen;

    /// <summary>Lifetime from first to last exchange in seconds (0 while empty or after one exchange).</summary>
    public double LifetimeSeconds => _volume == 0 ? 0.0 : (_lastSeen - _firstSeen) / (double)TimeSpan.TicksPerSecond;

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
        int templateCount = _templateCount;
        Span<uint> bins = _bins;
        ulong templateHash = OnePermutationSketch.Mix((ulong)templateId, _templateSeed);
        OnePermutationSketch.Add(bins[..templateCount], templateHash, out _);

        // Occurrence number of this template in this account, from the conservative-update count-min sketch.
        Span<ushort> counters = _usageCounters;
        int width = counters.Length >> 1;
        int i1 = (int)(((templateHash & 0xFFFF_FFFFUL) * (ulong)(uint)width) >> 32);
        int i2 = width + (int)(((templateHash >> 32) * (ulong)(uint)width) >> 32);
        int occurrence = Math.Min(counters[i1], counters[i2]) + 1;
        if (occurrence <= ushort.MaxValue)
        {
            if (counters[i1] < occurrence) counters[i1] = (ushort)occurrence;
            if (counters[i2] < occurrence) counters[i2] = (ushort)occurrence;
        }
        ulong usageHash = OnePermutationSketch.Mix(templateHash + (ulong)occurrence * 0x9E3779B97F4A7C15UL, _usageSeed);
        OnePermutationSketch.Add(bins.Slice(templateCount, _usageCount), usageHash, out _);

        long window = utcTicks / _windowTicks;
        ulong syncHash = OnePermutationSketch.Mix(templateHash + (ulong)window * 0x9E3779B97F4A7C15UL, _syncSeed);
        Span<uint> sync = bins[(templateCount + _usageCount)..];
        uint before = SyncMinimum(sync, syncHash);
        OnePermutationSketch.Add(sync, syncHash, out int bin);
        if (sync[bin] != before) _syncWindows[bin] = (ushort)window;

        TopTemplateCounter.Add(_topIds, _topCounts, templateId);
        _distinct.Add(templateHash);
        _distinctEstimate = double.NaN;
        _volume++;
        if (utcTicks < _firstSeen) _firstSeen = utcTicks;
        if (utcTicks > _lastSeen) _lastSeen = utcTicks;
        ObserveTiming(templateHash, utcTicks);
    }

    /// <summary>Records one exchange at a <see cref="DateTimeOffset"/> (converted to UTC). Thin wrapper over <see cref="Observe(long, long)"/>.</summary>
    /// <param name="templateId">Template id of the prompt.</param>
    /// <param name="time">Time of the exchange.</param>
    public void Observe(long templateId, DateTimeOffset time) => Observe(templateId, time.UtcTicks);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint SyncMinimum(Span<uint> sync, ulong hash) => sync[(int)(((hash >> 32) * (ulong)(uint)sync.Length) >> 32)];

    /// <summary>
    /// Writes the most used template ids, most used first, into <paramref name="destination"/>; returns how
    /// many were written (at most <see cref="AccountProfileOptions.TopTemplateCount"/>). O(k^2) for k counters, no allocation.
    /// </summary>
    /// <param name="destination">Receives the entries; shorter spans receive the first entries only.</param>
    public int GetTopTemplates(Span<TemplateUsage> destination)
    {
        int k = _topIds.Length;
        Span<bool> taken = stackalloc bool[k];
        int written = 0;
        while (written < destination.Length)
        {
            int best = -1;
            for (int i = 0; i < k; i++)
            {
                if (taken[i] || _topCounts[i] == 0) continue;
                if (best < 0 || _topCounts[i] > _topCounts[best] || (_topCounts[i] == _topCounts[best] && _topIds[i] < _topIds[best])) best = i;
            }
            if (best < 0) break;
            taken[best] = true;
            destination[written++] = new TemplateUsage(_topIds[best], _topCounts[best]);
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
        if (destination.Length < _options.TemplateHashCount) AccountsThrow.Argument($"The destination needs {_options.TemplateHashCount} values.", nameof(destination));
        OnePermutationSketch.Densify(TemplateBins, destination, _templateSeed);
    }

    /// <summary>Same as <see cref="GetTemplateSignature"/> for the usage-weighted multiset (<see cref="AccountProfileOptions.UsageHashCount"/> values).</summary>
    /// <param name="destination">At least UsageHashCount values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void GetUsageSignature(Span<uint> destination)
    {
        if (destination.Length < _usageCount) AccountsThrow.Argument($"The destination needs {_usageCount} values.", nameof(destination));
        OnePermutationSketch.Densify(UsageBins, destination, _usageSeed);
    }

    /// <summary>Same as <see cref="GetTemplateSignature"/> for the (template id, time window) set.</summary>
    /// <param name="destination">At least SynchronizationHashCount values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void GetSynchronizationSignature(Span<uint> destination)
    {
        if (destination.Length < _options.SynchronizationHashCount) AccountsThrow.Argument($"The destination needs {_options.SynchronizationHashCount} values.", nameof(destination));
        OnePermutationSketch.Densify(SyncBins, destination, _syncSeed);
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
        if (!_options.Equals(other._options)) AccountsThrow.OptionsDiffer(nameof(other));
        int offset = _templateCount + _usageCount;
        OnePermutationSketch.Merge(_bins.AsSpan(0, offset), other._bins.AsSpan(0, offset));
        for (int i = 0; i < _usageCounters.Length; i++) _usageCounters[i] = (ushort)Math.Min(ushort.MaxValue, _usageCounters[i] + other._usageCounters[i]);
        for (int i = 0; i < _syncWindows.Length; i++)
        {
            uint mine = _bins[offset + i], theirs = other._bins[offset + i];
            if (theirs < mine || (theirs == mine && other._syncWindows[i] < _syncWindows[i]))
            {
                _bins[offset + i] = theirs;
                _syncWindows[i] = other._syncWindows[i];
            }
        }
        TopTemplateCounter.Merge(_topIds, _topCounts, other._topIds, other._topCounts);
        _distinct.Merge(other._distinct);
        _distinctEstimate = double.NaN;
        _volume += other._volume;
        _firstSeen = Math.Min(_firstSeen, other._firstSeen);
        _lastSeen = Math.Max(_lastSeen, other._lastSeen);
        MergeTiming(other);
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
            if (double.IsNaN(e)) _distinctEstimate = e = _distinct.Estimate();
            return e;
        }
    }

    /// <summary>
    /// Approximate bytes this profile occupies on the managed heap (objects, arrays and their headers on
    /// 64-bit .NET). With the default options it is about ApproximateMemoryBytesDefault; the
    /// budget is 2 KB per account. O(1).
    /// </summary>
    public int ApproximateMemoryBytes => ComputeMemoryBytes();

    internal ReadOnlySpan<uint> TemplateBins => _bins.AsSpan(0, _templateCount);

    internal ReadOnlySpan<uint> UsageBins => _bins.AsSpan(_templateCount, _usageCount);

    internal ReadOnlySpan<uint> SyncBins => _bins.AsSpan(_templateCount + _usageCount);

    internal ReadOnlySpan<ushort> SyncWindows => _syncWindows;

    internal long WindowTicks => _windowTicks;
}
