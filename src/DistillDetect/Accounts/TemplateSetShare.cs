using DistillDetect.Fingerprints;

namespace DistillDetect.Accounts;

/// <summary>
/// Estimates the share of an account's exchanges that went to a set of templates from its usage-weighted
/// MinHash (<see cref="AccountProfileOptions.UsageHashCount"/> bins), whatever the number of templates the account
/// spread its traffic over: unlike the most-used counters (<see cref="AccountProfileOptions.TopTemplateCount"/>),
/// which an account spreading hundreds of exchanges over hundreds of templates saturates, and unlike a count kept
/// on the request path, it also counts exchanges sent before the set was known.
/// </summary>
/// <remarks>
/// <para><b>Why it works.</b> The k-th exchange of an account on template t inserts the element (t, k) into the
/// usage bins, so the account's elements are its exchanges. The minimum of an occupied bin is an element drawn
/// uniformly from those that fell into it, so the share of occupied bins whose minimum is an element (t, k) with t in
/// the set estimates the share of exchanges on the set: a sample of as many exchanges as there are occupied bins
/// (all of them while an account has few exchanges; standard error sqrt(p(1 - p) / 64) = 0.06 at p = 0.6 with the
/// default 64 bins). The bins hold hashes, not templates, so the set is expanded once into the hashes of its
/// elements (t, k) for k up to <see cref="MaxOccurrence"/>, and a bin is a hit when its (bin, minimum) pair is one of
/// them (a 32-bit value of another element matches by chance with probability about set size / 2^32).</para>
/// <para><b>Bound.</b> k is the occurrence number the profile's count-min sketch gave (at least the true count, and
/// at most the account's exchanges). Elements with k above <see cref="MaxOccurrence"/> are not expanded, so an
/// account with more exchanges than that on one template reads low: the estimate errs toward missing, never toward
/// flagging.</para>
/// <para>Cost: building is O(templates × <see cref="MaxOccurrence"/>) hashes and a hash set of that many 8-byte
/// entries; an estimate is O(bins) lookups. Immutable once built, thread-safe to read.</para>
/// </remarks>
internal sealed class TemplateSetShare
{
    private readonly HashSet<ulong> _elements;
    private readonly int _binCount;

    /// <param name="options">The options of the profiles to estimate on.</param>
    /// <param name="templates">The template ids of the set.</param>
    /// <param name="maxOccurrence">Largest occurrence number expanded (1 to 65,536).</param>
    public TemplateSetShare(AccountProfileOptions options, IReadOnlyCollection<long> templates, int maxOccurrence)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOccurrence, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxOccurrence, ushort.MaxValue + 1);
        AccountProfileLayout layout = AccountProfileLayout.For(options);
        Options = options;
        MaxOccurrence = maxOccurrence;
        _binCount = layout.UsageCount;
        _elements = new HashSet<ulong>(templates.Count * maxOccurrence);
        foreach (long template in templates)
        {
            ulong templateHash = AccountProfileLayout.Mix((ulong)template, layout.TemplateSeed);
            for (int k = 1; k <= maxOccurrence; k++)
            {
                ulong usageHash = layout.UsageHash(templateHash, k);
                _elements.Add(Key(OnePermutationHashing.Bin(usageHash, _binCount), OnePermutationHashing.Value(usageHash)));
            }
        }
    }

    /// <summary>The profile options the set was expanded for.</summary>
    public AccountProfileOptions Options { get; }

    /// <summary>Largest occurrence number expanded.</summary>
    public int MaxOccurrence { get; }

    /// <summary>
    /// The estimated share of <paramref name="profile"/>'s exchanges on the set, in [0, 1]; 0 for an empty profile.
    /// O(bins), no allocation.
    /// </summary>
    /// <exception cref="ArgumentException">The profile's options differ from <see cref="Options"/>.</exception>
    public double Estimate(AccountProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!ReferenceEquals(profile.Options, Options) && profile.Options != Options)
            AccountsThrow.Argument("The profile's options differ from those the set was built for.", nameof(profile));
        ReadOnlySpan<uint> bins = profile.UsageBins;
        int occupied = 0, hits = 0;
        for (int b = 0; b < bins.Length; b++)
        {
            if (bins[b] == OnePermutationHashing.Empty) continue;
            occupied++;
            if (_elements.Contains(Key(b, bins[b]))) hits++;
        }
        return occupied == 0 ? 0 : (double)hits / occupied;
    }

    private static ulong Key(int bin, uint value) => ((ulong)(uint)bin << 32) | value;
}
