namespace DistillDetect.Accounts;

/// <summary>
/// Similarity measures between two <see cref="AccountProfile"/>s, each in [0, 1], symmetric, 1 for
/// accounts that behave identically in that respect, 0 for no shared evidence. All are O(size of a
/// profile) (a few hundred ns), allocate nothing (except <see cref="Explain"/>) and are safe to call
/// concurrently while the profiles are not being written.
/// </summary>
public static class AccountSimilarity
{
    /// <summary>
    /// Estimated Jaccard similarity |A n B| / |A u B| of the two accounts' sets of template ids, from the
    /// one-permutation MinHash (standard error about sqrt(J(1-J)/k)). 0 when either account is empty.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The estimate in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double TemplateJaccard(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        return OnePermutationSketch.Jaccard(a.TemplateBins, b.TemplateBins);
    }

    /// <summary>
    /// Estimated containment |A n B| / min(|A|, |B|): the share of the smaller account's templates that
    /// the larger one also used, so a small account fully inside a campaign's templates scores 1. The
    /// intersection comes from the Jaccard estimate and the distinct-template counts:
    /// |A n B| = J (|A| + |B|) / (1 + J). Clamped to [0, 1].
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The estimate in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double TemplateContainment(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        return Containment(OnePermutationSketch.Jaccard(a.TemplateBins, b.TemplateBins), a, b);
    }

    /// <summary>
    /// Estimated usage-weighted (multiset) Jaccard sum_t min(n_a(t), n_b(t)) / sum_t max(n_a(t), n_b(t)) over
    /// the accounts' exchange counts per template (see <see cref="AccountProfileOptions.UsageHashCount"/>):
    /// templates an account uses again and again dominate, one-off prompts barely count. 0 when either is empty.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The estimate in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double UsageJaccard(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        return OnePermutationSketch.Jaccard(a.UsageBins, b.UsageBins);
    }

    /// <summary>
    /// Estimated usage-weighted containment: the share of the smaller account's exchanges whose template
    /// the other account used at least as often, |A n B| / min(|A|, |B|) on the multisets (sizes = volumes).
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The estimate in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double UsageContainment(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        return Containment(OnePermutationSketch.Jaccard(a.UsageBins, b.UsageBins), a.Volume, b.Volume);
    }

    /// <summary>
    /// Template-overlap component: the larger of sqrt(Jaccard x containment) on the template sets and on the
    /// usage-weighted multisets. sqrt(J x C) = |A n B| / sqrt(|A u B| min(|A|, |B|)) rewards a small account
    /// inside a larger one's set (2 of 5 templates: 0.63) without letting a one-template account look like
    /// an account with a thousand templates that include it (0.03); the usage-weighted form keeps two
    /// accounts that share their main templates alike when each also sends a long tail of one-off prompts.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double TemplateOverlap(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        return Overlap(a, b, out _, out _, out _, out _);
    }

    /// <summary>
    /// Synchronized activity (SynchroTrap, Cao et al. 2014): estimated Jaccard similarity of the two sets
    /// of (template id, time window) pairs, i.e. how much of the two accounts' activity hit the same
    /// template within the same <see cref="AccountProfileOptions.SynchronizationWindow"/>. Actions are
    /// never stored: the pairs feed a second MinHash. Accounts active in different windows score 0.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The estimate in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double Synchronization(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        return OnePermutationSketch.Jaccard(a.SyncBins, b.SyncBins);
    }

    /// <summary>
    /// Alike activity profiles: Bhattacharyya coefficient sum_i sqrt(p_i q_i) of the two hour-of-week
    /// distributions (168 UTC bins), which is 1 - H^2 for the Hellinger distance H. 1 for the same shape
    /// of week, 0 for accounts never active in the same hour of the week; 0 when either is empty.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double ActivityProfile(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        Span<double> p = stackalloc double[168];
        Span<double> q = stackalloc double[168];
        a.GetHourOfWeek(p);
        b.GetHourOfWeek(q);
        double sumP = 0, sumQ = 0, cross = 0;
        for (int i = 0; i < 168; i++)
        {
            sumP += p[i];
            sumQ += q[i];
            cross += Math.Sqrt(p[i] * q[i]);
        }
        if (sumP <= 0 || sumQ <= 0) return 0.0;
        return Math.Clamp(cross / Math.Sqrt(sumP * sumQ), 0.0, 1.0);
    }

    /// <summary>
    /// Alike rate statistics: sqrt(r x s) where r = min/max of the two mean inter-arrival gaps (1 for the
    /// same rate, 0.5 for rates a factor of two apart) and s = 1 - |B_a - B_b| / 2 for the burstiness
    /// B = (sigma - mu)/(sigma + mu) of the gaps (Goh and Barabasi 2008; -1 periodic, 0 Poisson, 1 bursty).
    /// 0 when either account has fewer than 3 exchanges (no evidence counts as no similarity).
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double RateStatistics(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        double ma = a.MeanGapSeconds, mb = b.MeanGapSeconds, ba = a.GapBurstiness, bb = b.GapBurstiness;
        if (double.IsNaN(ma) || double.IsNaN(mb) || double.IsNaN(ba) || double.IsNaN(bb)) return 0.0;
        double hi = Math.Max(ma, mb), lo = Math.Min(ma, mb);
        double r = hi <= 0 ? 1.0 : lo / hi;
        double s = 1.0 - Math.Abs(ba - bb) / 2.0;
        return Math.Clamp(Math.Sqrt(r * s), 0.0, 1.0);
    }

    /// <summary>
    /// Alike lifetimes (accounts created and abandoned in waves): intersection over union of the intervals
    /// [first seen - w, last seen + w] with w one <see cref="AccountProfileOptions.SynchronizationWindow"/>
    /// (so two one-shot accounts in the same window are alike). 0 when either is empty.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <returns>The value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    public static double Lifetime(AccountProfile a, AccountProfile b)
    {
        Check(a, b);
        if (a.IsEmpty || b.IsEmpty) return 0.0;
        double w = a.WindowTicks;
        double a0 = a.FirstSeenTicks - w, a1 = a.LastSeenTicks + w, b0 = b.FirstSeenTicks - w, b1 = b.LastSeenTicks + w;
        double intersection = Math.Min(a1, b1) - Math.Max(a0, b0);
        if (intersection <= 0) return 0.0;
        double union = Math.Max(a1, b1) - Math.Min(a0, b0);
        return Math.Clamp(intersection / union, 0.0, 1.0);
    }

    /// <summary>
    /// Combined similarity: the weighted mean of template overlap, synchronization, activity profile, rate
    /// statistics and lifetime. In [0, 1], symmetric. No allocation.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <param name="weights">Component weights; null for <see cref="SimilarityWeights.Default"/>.</param>
    /// <returns>The score in [0, 1].</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight is invalid.</exception>
    public static double Score(AccountProfile a, AccountProfile b, SimilarityWeights? weights = null)
    {
        weights ??= SimilarityWeights.Default;
        weights.Validate();
        return Compute(a, b, weights);
    }

    /// <summary>
    /// Every component, the weights and the combined score (same value as <see cref="Score"/>).
    /// Allocates the explanation record.
    /// </summary>
    /// <param name="a">First profile.</param>
    /// <param name="b">Second profile.</param>
    /// <param name="weights">Component weights; null for <see cref="SimilarityWeights.Default"/>.</param>
    /// <returns>The explanation.</returns>
    /// <exception cref="ArgumentException">The profiles' options differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight is invalid.</exception>
    public static SimilarityExplanation Explain(AccountProfile a, AccountProfile b, SimilarityWeights? weights = null)
    {
        weights ??= SimilarityWeights.Default;
        weights.Validate();
        Check(a, b);
        double overlap = Overlap(a, b, out double j, out double c, out double uj, out double uc);
        double score = Combine(a, b, weights, overlap, out double sync, out double activity, out double rate, out double lifetime);
        return new SimilarityExplanation(j, c, uj, uc, overlap, sync, activity, rate, lifetime, score, weights);
    }

    internal static double Compute(AccountProfile a, AccountProfile b, SimilarityWeights weights)
    {
        Check(a, b);
        double overlap = Overlap(a, b, out _, out _, out _, out _);
        return Combine(a, b, weights, overlap, out _, out _, out _, out _);
    }

    private static double Overlap(AccountProfile a, AccountProfile b, out double jaccard, out double containment, out double usageJaccard, out double usageContainment)
    {
        jaccard = OnePermutationSketch.Jaccard(a.TemplateBins, b.TemplateBins);
        containment = Containment(jaccard, a, b);
        usageJaccard = OnePermutationSketch.Jaccard(a.UsageBins, b.UsageBins);
        usageContainment = Containment(usageJaccard, a.Volume, b.Volume);
        return Math.Max(Math.Sqrt(jaccard * containment), Math.Sqrt(usageJaccard * usageContainment));
    }

    private static double Combine(AccountProfile a, AccountProfile b, SimilarityWeights weights, double overlap,
        out double sync, out double activity, out double rate, out double lifetime)
    {
        sync = Synchronization(a, b);
        activity = weights.ActivityProfile > 0 ? ActivityProfile(a, b) : 0.0;
        rate = RateStatistics(a, b);
        lifetime = Lifetime(a, b);
        double sum = weights.TemplateOverlap * overlap + weights.Synchronization * sync + weights.ActivityProfile * activity
            + weights.RateStatistics * rate + weights.Lifetime * lifetime;
        return Math.Clamp(sum / weights.Total, 0.0, 1.0);
    }

    private static double Containment(double jaccard, AccountProfile a, AccountProfile b) =>
        Containment(jaccard, a.DistinctTemplates, b.DistinctTemplates);

    private static double Containment(double jaccard, double sizeA, double sizeB)
    {
        if (jaccard <= 0) return 0.0;
        double na = Math.Max(1.0, sizeA), nb = Math.Max(1.0, sizeB);
        double intersection = jaccard * (na + nb) / (1.0 + jaccard);
        return Math.Clamp(intersection / Math.Min(na, nb), 0.0, 1.0);
    }

    private static void Check(AccountProfile a, AccountProfile b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!ReferenceEquals(a.Options, b.Options) && !a.Options.Equals(b.Options)) AccountsThrow.OptionsDiffer(nameof(b));
    }
}
