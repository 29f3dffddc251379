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
        ArgumentNullException.ThrowIfNull(profiles);
        if (profiles.Count == 0) return [];
        AccountProfileOptions profileOptions = profiles[0]?.Options ?? throw new ArgumentException("A profile is null.", nameof(profiles));
        var eligible = new List<int>(profiles.Count);
        for (int i = 0; i < profiles.Count; i++)
        {
            AccountProfile? p = profiles[i];
            if (p is null) AccountsThrow.Argument("A profile is null.", nameof(profiles));
            if (!ReferenceEquals(p.Options, profileOptions) && !p.Options.Equals(profileOptions)) AccountsThrow.OptionsDiffer(nameof(profiles));
            if (p.Volume >= _options.MinimumVolume) eligible.Add(i);
        }
        int m = eligible.Count;
        var pairs = new List<ulong>();
        if (m >= 2)
        {
            long granularity = _options.LifetimeKeyGranularity.Ticks;
            var lifetimeKey = new uint[m];
            for (int j = 0; j < m; j++)
            {
                long day = profiles[eligible[j]].FirstSeenTicks / granularity;
                lifetimeKey[j] = (uint)Math.Clamp(day, 0, uint.MaxValue);
            }
            AddFamily(profiles, eligible, lifetimeKey, synchronization: false, pairs);
            AddFamily(profiles, eligible, lifetimeKey, synchronization: true, pairs);
        }
        return Distinct(pairs);
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

    private void AddFamily(IReadOnlyList<AccountProfile> profiles, List<int> eligible, uint[] lifetimeKey, bool synchronization, List<ulong> pairs)
    {
        AccountProfileOptions po = profiles[eligible[0]].Options;
        (int bands, int rows) = synchronization ? SynchronizationBanding(po) : TemplateBanding(po);
        int k = synchronization ? po.SynchronizationHashCount : po.UsageHashCount;
        int m = eligible.Count;
        var keys = new ulong[bands][];
        for (int b = 0; b < bands; b++) keys[b] = new ulong[m];
        var present = new bool[m];
        Span<uint> signature = stackalloc uint[k];
        long familySeed = _options.Seed ^ (synchronization ? 0x5359_4E43L : 0x5445_4D50L);
        for (int j = 0; j < m; j++)
        {
            AccountProfile p = profiles[eligible[j]];
            if (synchronization) p.GetSynchronizationSignature(signature);
            else p.GetUsageSignature(signature);
            if (signature[0] == OnePermutationSketch.Empty && OnePermutationSketch.Occupied(signature) == 0) continue;
            present[j] = true;
            for (int b = 0; b < bands; b++)
            {
                ReadOnlySpan<byte> band = MemoryMarshal.AsBytes(signature.Slice(b * rows, rows));
                keys[b][j] = XxHash3.HashToUInt64(band, familySeed + b);
            }
        }

        var order = new int[m];
        var bandKeys = new ulong[m];
        var groupKeys = new ulong[Math.Min(m, 1 << 16)];
        for (int b = 0; b < bands; b++)
        {
            int count = 0;
            for (int j = 0; j < m; j++)
            {
                if (!present[j]) continue;
                order[count] = j;
                bandKeys[count++] = keys[b][j];
            }
            keys[b] = null!; // release this band's keys early: memory peaks at one band less each step
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
        if (groupKeys.Length < size) groupKeys = new ulong[Math.Max(size, groupKeys.Length * 2)];
        Span<ulong> sortKeys = groupKeys.AsSpan(0, size);
        for (int x = 0; x < size; x++)
        {
            int j = members[x];
            // Same first-seen day first; within a day a per-band hash so each band pairs different neighbours.
            sortKeys[x] = ((ulong)lifetimeKey[j] << 32) | (uint)OnePermutationSketch.Mix((ulong)j, bandSeed);
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

    private static CandidatePair[] Distinct(List<ulong> pairs)
    {
        Span<ulong> all = CollectionsMarshal.AsSpan(pairs);
        all.Sort();
        int unique = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (i == 0 || all[i] != all[i - 1]) all[unique++] = all[i];
        }
        var result = new CandidatePair[unique];
        for (int i = 0; i < unique; i++) result[i] = new CandidatePair((int)(all[i] >> 32), (int)(uint)all[i]);
        return result;
    }
}
