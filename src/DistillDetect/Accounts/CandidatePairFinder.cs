using System.IO.Hashing;
using System.Runtime.InteropServices;
using DistillDetect.Fingerprints;

namespace DistillDetect.Accounts;

/// <summary>
/// Finds the pairs of accounts worth scoring without comparing all pairs: LSH banding (Indyk and Motwani
/// 1998; bands and rows chosen for a recall target at a Jaccard threshold) over each account's dense
/// usage-weighted template signature (<see cref="AccountProfile.GetUsageSignature"/>: the set signature would
/// miss accounts whose shared templates drown in one-off prompts) and over its synchronized-activity signature. Buckets up to
/// <see cref="CandidatePairOptions.MaxBucketSize"/> give all their pairs; larger ones (a popular template
/// shared by thousands of unrelated people, or a campaign of thousands) are ordered by a coarse
/// lifetime key and each account is paired with its next <see cref="CandidatePairOptions.NeighbourWindow"/>
/// neighbours (the sorted-neighbourhood method of record linkage, Hernandez and Stolfo 1995), so a template used by
/// 100,000 accounts gives 400,000 pairs per band, not 5 x 10^9.
/// <para>Cost: O(n k) to sign and O(n log n) per band to bucket, so close to linear in the number of
/// accounts n; memory O(n x bands) for the band keys plus the pairs (bounded as the options document).
/// Thread safety: the instance is immutable; <see cref="FindPairs"/> may run concurrently on different
/// lists whose profiles are not being written.</para>
/// </summary>
public sealed class CandidatePairFinder
{
    private readonly CandidatePairOptions _options;

    /// <summary>Creates a finder.</summary>
    /// <param name="options">Parameters; null for <see cref="CandidatePairOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public CandidatePairFinder(CandidatePairOptions? options = null)
    {
        _options = options ?? CandidatePairOptions.Default;
        _options.Validate();
    }

    /// <summary>The parameters.</summary>
    public CandidatePairOptions Options => _options;

    /// <summary>
    /// Returns the distinct candidate pairs among <paramref name="profiles"/>, sorted, each as indices into
    /// the list with First &lt; Second. Accounts below <see cref="CandidatePairOptions.MinimumVolume"/> and
    /// empty signatures take no part.
    /// </summary>
    /// <param name="profiles">The accounts; all with equal <see cref="AccountProfileOptions"/>.</param>
    /// <returns>The pairs (a new array).</returns>
    /// <exception cref="ArgumentException">The profiles' options differ, or an element is null.</exception>
    public CandidatePair[] FindPairs(IReadOnlyList<AccountProfile> profiles)
    {
        List<int> eligible = Eligible(profiles);
        if (eligible.Count < 2) return [];
        var keys = new CandidateKeys?[profiles.Count];
        foreach (int i in eligible)
        {
            keys[i] = CreateKeys(profiles[i].Options);
            ComputeKeys(profiles[i], keys[i]!);
        }
        return PairsOf(profiles, eligible, keys, null);
    }

    /// <summary>
    /// <see cref="FindPairs(IReadOnlyList{AccountProfile})"/> with each account's band keys computed beforehand
    /// (<see cref="ComputeKeys"/>), so a caller that analyzes mostly unchanged accounts again signs only the changed
    /// ones. <paramref name="keys"/>[i] must be the keys of <paramref name="profiles"/>[i] for every account with at
    /// least <see cref="CandidatePairOptions.MinimumVolume"/> exchanges; the result is the same pairs.
    /// </summary>
    /// <param name="profiles">The accounts.</param>
    /// <param name="keys">Their band keys.</param>
    /// <param name="buckets">The bands of the previous run, kept sorted (see <see cref="CandidateBuckets"/>); null to sort every band afresh.</param>
    internal CandidatePair[] FindPairsWithKeys(IReadOnlyList<AccountProfile> profiles, IReadOnlyList<CandidateKeys?> keys, CandidateBuckets? buckets = null)
    {
        List<int> eligible = Eligible(profiles);
        return eligible.Count < 2 ? [] : PairsOf(profiles, eligible, keys, buckets);
    }

    /// <summary>Empty band keys sized for profiles with these options.</summary>
    internal CandidateKeys CreateKeys(AccountProfileOptions profileOptions)
    {
        Banding banding = BandingFor(profileOptions);
        return new CandidateKeys(banding.Template.Bands, banding.Synchronization.Bands);
    }

    /// <summary>Writes the band keys of <paramref name="profile"/> into <paramref name="keys"/> (made by <see cref="CreateKeys"/> for its options). O(k), no allocation.</summary>
    internal void ComputeKeys(AccountProfile profile, CandidateKeys keys)
    {
        AccountProfileOptions po = profile.Options;
        Banding banding = BandingFor(po);
        Span<uint> signature = stackalloc uint[Math.Max(po.UsageHashCount, po.SynchronizationHashCount)];
        Span<uint> usage = signature[..po.UsageHashCount];
        profile.GetUsageSignature(usage);
        keys.HasTemplates = BandKeys(usage, banding.Template, _options.Seed ^ TemplateFamily, keys.TemplateKeys);
        Span<uint> sync = signature[..po.SynchronizationHashCount];
        profile.GetSynchronizationSignature(sync);
        keys.HasSynchronization = BandKeys(sync, banding.Synchronization, _options.Seed ^ SynchronizationFamily, keys.SynchronizationKeys);
        keys.Version++;
    }

    private const long TemplateFamily = 0x5445_4D50L;
    private const long SynchronizationFamily = 0x5359_4E43L;

    private static bool BandKeys(ReadOnlySpan<uint> signature, LshParameters banding, long familySeed, ulong[] keys)
    {
        if (signature[0] == OnePermutationHashing.Empty && OnePermutationHashing.Occupied(signature) == 0) return false;
        (int bands, int rows) = banding;
        for (int b = 0; b < bands; b++)
        {
            ReadOnlySpan<byte> band = MemoryMarshal.AsBytes(signature.Slice(b * rows, rows));
            keys[b] = XxHash3.HashToUInt64(band, familySeed + b);
        }
        return true;
    }

    private sealed record Banding(AccountProfileOptions Options, LshParameters Template, LshParameters Synchronization);

    // The banding of the last profile options seen: a grid search worth doing once, not per account. A racing
    // writer stores an equal value, so the field needs no lock.
    private Banding? _banding;

    private Banding BandingFor(AccountProfileOptions profileOptions)
    {
        Banding? banding = _banding;
        if (banding is not null && (ReferenceEquals(banding.Options, profileOptions) || banding.Options.Equals(profileOptions))) return banding;
        banding = new Banding(profileOptions, TemplateBanding(profileOptions), SynchronizationBanding(profileOptions));
        _banding = banding;
        return banding;
    }

    private List<int> Eligible(IReadOnlyList<AccountProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var eligible = new List<int>(profiles.Count);
        if (profiles.Count == 0) return eligible;
        AccountProfileOptions profileOptions = profiles[0]?.Options ?? throw new ArgumentException("A profile is null.", nameof(profiles));
        for (int i = 0; i < profiles.Count; i++)
        {
            AccountProfile? p = profiles[i];
            if (p is null) AccountsThrow.Argument("A profile is null.", nameof(profiles));
            if (!ReferenceEquals(p.Options, profileOptions) && !p.Options.Equals(profileOptions)) AccountsThrow.OptionsDiffer(nameof(profiles));
            if (p.Volume >= _options.MinimumVolume) eligible.Add(i);
        }
        return eligible;
    }

    private CandidatePair[] PairsOf(IReadOnlyList<AccountProfile> profiles, List<int> eligible, IReadOnlyList<CandidateKeys?> keys, CandidateBuckets? buckets)
    {
        int m = eligible.Count;
        int templateBands = -1, synchronizationBands = -1;
        foreach (int i in eligible)
        {
            CandidateKeys? k = keys[i];
            if (k is null) AccountsThrow.Argument("An account with enough exchanges has no band keys.", nameof(keys));
            if (templateBands < 0) (templateBands, synchronizationBands) = (k.TemplateKeys.Length, k.SynchronizationKeys.Length);
            if (k.TemplateKeys.Length != templateBands || k.SynchronizationKeys.Length != synchronizationBands) AccountsThrow.Argument("The band keys differ in size.", nameof(keys));
        }
        var pairs = new List<ulong>();
        long granularity = _options.LifetimeKeyGranularity.Ticks;
        var lifetimeKey = new uint[m];
        for (int j = 0; j < m; j++)
        {
            long day = profiles[eligible[j]].FirstSeenTicks / granularity;
            lifetimeKey[j] = (uint)Math.Clamp(day, 0, uint.MaxValue);
        }
        if (buckets is null)
        {
            AddFamily(eligible, keys, lifetimeKey, synchronization: false, pairs);
            AddFamily(eligible, keys, lifetimeKey, synchronization: true, pairs);
        }
        else
        {
            buckets.Update(eligible, keys, templateBands, synchronizationBands);
            AddIndexed(buckets, eligible, lifetimeKey, templateBands, synchronizationBands, pairs);
        }
        return Distinct(pairs, profiles.Count);
    }

    /// <summary>Bands and rows used for the usage-weighted template signature of profiles with these options.</summary>
    /// <param name="profileOptions">The profiles' options.</param>
    /// <returns>The cheapest banding with the recall target at the threshold (<see cref="LshParameters.ForRecall"/>).</returns>
    public LshParameters TemplateBanding(AccountProfileOptions profileOptions)
    {
        ArgumentNullException.ThrowIfNull(profileOptions);
        return LshParameters.ForRecall(_options.TemplateThreshold, profileOptions.UsageHashCount, _options.RecallAtThreshold);
    }

    /// <summary>Bands and rows used for the synchronized-activity signature of profiles with these options.</summary>
    /// <param name="profileOptions">The profiles' options.</param>
    /// <returns>The cheapest banding with the recall target at the threshold (<see cref="LshParameters.ForRecall"/>).</returns>
    public LshParameters SynchronizationBanding(AccountProfileOptions profileOptions)
    {
        ArgumentNullException.ThrowIfNull(profileOptions);
        return LshParameters.ForRecall(_options.SynchronizationThreshold, profileOptions.SynchronizationHashCount, _options.RecallAtThreshold);
    }

    private void AddFamily(List<int> eligible, IReadOnlyList<CandidateKeys?> keys, uint[] lifetimeKey, bool synchronization, List<ulong> pairs)
    {
        int m = eligible.Count;
        CandidateKeys first = keys[eligible[0]]!;
        int bands = synchronization ? first.SynchronizationKeys.Length : first.TemplateKeys.Length;
        long familySeed = _options.Seed ^ (synchronization ? SynchronizationFamily : TemplateFamily);

        var order = new int[m];
        var bandKeys = new ulong[m];
        var groupKeys = new ulong[Math.Min(m, 1 << 16)];
        for (int b = 0; b < bands; b++)
        {
            int count = 0;
            for (int j = 0; j < m; j++)
            {
                CandidateKeys k = keys[eligible[j]]!;
                if (!(synchronization ? k.HasSynchronization : k.HasTemplates)) continue;
                order[count] = j;
                bandKeys[count++] = (synchronization ? k.SynchronizationKeys : k.TemplateKeys)[b];
            }
            Array.Sort(bandKeys, order, 0, count);
            ulong bandSeed = (ulong)(familySeed + 31 * b);
            for (int start = 0; start < count;)
            {
                int end = start + 1;
                while (end < count && bandKeys[end] == bandKeys[start]) end++;
                int size = end - start;
                if (size >= 2) AddBucket(eligible, lifetimeKey, order.AsSpan(start, size), bandSeed, ref groupKeys, pairs);
                start = end;
            }
        }
    }

    /// <summary>
    /// The pairs of every band from the kept sorted index. A bucket's members come in ascending position (the sort
    /// path leaves them in the order its unstable sort happens to give): its small buckets give all pairs either way,
    /// and a large bucket is reordered by its sort keys before pairing, so both paths give the same pairs.
    /// </summary>
    private void AddIndexed(CandidateBuckets buckets, List<int> eligible, uint[] lifetimeKey, int templateBands, int synchronizationBands, List<ulong> pairs)
    {
        var groupKeys = new ulong[Math.Min(eligible.Count, 1 << 16)];
        var members = new int[16];
        for (int band = 0; band < templateBands + synchronizationBands; band++)
        {
            bool synchronization = band >= templateBands;
            int b = synchronization ? band - templateBands : band;
            long familySeed = _options.Seed ^ (synchronization ? SynchronizationFamily : TemplateFamily);
            ulong bandSeed = (ulong)(familySeed + 31 * b);
            (ReadOnlyMemory<ulong> keyMemory, ReadOnlyMemory<int> slotMemory) = buckets.BandEntries(band);
            ReadOnlySpan<ulong> bandKeys = keyMemory.Span;
            ReadOnlySpan<int> slots = slotMemory.Span;
            ReadOnlySpan<int> slotIndex = buckets.SlotIndex;
            for (int start = 0; start < bandKeys.Length;)
            {
                int end = start + 1;
                while (end < bandKeys.Length && bandKeys[end] == bandKeys[start]) end++;
                int size = end - start;
                if (size >= 2)
                {
                    if (members.Length < size) members = new int[Math.Max(size, members.Length * 2)];
                    for (int x = 0; x < size; x++) members[x] = slotIndex[slots[start + x]];
                    Span<int> bucket = members.AsSpan(0, size);
                    bucket.Sort();
                    AddBucket(eligible, lifetimeKey, bucket, bandSeed, ref groupKeys, pairs);
                }
                start = end;
            }
        }
    }

    private void AddBucket(List<int> eligible, uint[] lifetimeKey, Span<int> members, ulong bandSeed, ref ulong[] groupKeys, List<ulong> pairs)
    {
        int size = members.Length;
        if (size <= _options.MaxBucketSize)
        {
            for (int x = 0; x < size; x++)
            {
                for (int y = x + 1; y < size; y++) pairs.Add(PairKey(eligible[members[x]], eligible[members[y]]));
            }
            return;
        }
        // Members in ascending position first, so that the order below (the sort keys, ties included) does not
        // depend on how the bucket was found.
        members.Sort();
        if (groupKeys.Length < size) groupKeys = new ulong[Math.Max(size, groupKeys.Length * 2)];
        Span<ulong> sortKeys = groupKeys.AsSpan(0, size);
        for (int x = 0; x < size; x++)
        {
            int j = members[x];
            // Same first-seen day first; within a day a per-band hash so each band pairs different neighbours.
            sortKeys[x] = ((ulong)lifetimeKey[j] << 32) | (uint)AccountProfileLayout.Mix((ulong)j, bandSeed);
        }
        sortKeys.Sort(members);
        int window = _options.NeighbourWindow;
        for (int x = 0; x < size; x++)
        {
            int last = Math.Min(size - 1, x + window);
            for (int y = x + 1; y <= last; y++) pairs.Add(PairKey(eligible[members[x]], eligible[members[y]]));
        }
    }

    private static ulong PairKey(int a, int b) => a < b ? ((ulong)(uint)a << 32) | (uint)b : ((ulong)(uint)b << 32) | (uint)a;

    /// <summary>
    /// The distinct pairs in (first, second) order. A least-significant-digit radix sort with the account index as
    /// the digit (by second index, then stably by first) takes two O(pairs + accounts) counting passes and no
    /// comparisons, where a comparison sort of the 64-bit keys took O(pairs log pairs); duplicates are then adjacent.
    /// </summary>
    private static CandidatePair[] Distinct(List<ulong> pairs, int nodeCount)
    {
        Span<ulong> all = CollectionsMarshal.AsSpan(pairs);
        if (all.Length == 0) return [];
        var start = new int[nodeCount];
        var buffer = new ulong[all.Length];
        Scatter(all, buffer, start, 0);
        Scatter(buffer, all, start, 32);
        int unique = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (i == 0 || all[i] != all[i - 1]) all[unique++] = all[i];
        }
        var result = new CandidatePair[unique];
        for (int i = 0; i < unique; i++) result[i] = new CandidatePair((int)(all[i] >> 32), (int)(uint)all[i]);
        return result;
    }

    /// <summary>One stable counting-sort pass on the 32-bit index at <paramref name="shift"/>.</summary>
    private static void Scatter(ReadOnlySpan<ulong> from, Span<ulong> to, int[] start, int shift)
    {
        Array.Clear(start);
        foreach (ulong p in from) start[(int)(uint)(p >> shift)]++;
        int sum = 0;
        for (int v = 0; v < start.Length; v++)
        {
            int count = start[v];
            start[v] = sum;
            sum += count;
        }
        foreach (ulong p in from) to[start[(int)(uint)(p >> shift)]++] = p;
    }
}
