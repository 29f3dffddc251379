namespace DistillDetect.Fingerprints;

/// <summary>
/// Banding of a MinHash signature for locality-sensitive hashing: the first
/// <see cref="Bands"/> × <see cref="RowsPerBand"/> values of a signature are cut into <see cref="Bands"/>
/// bands of <see cref="RowsPerBand"/> consecutive values, and two signatures become candidates when they
/// agree on every value of at least one band (Leskovec, Rajaraman, Ullman, Mining of Massive Datasets, ch. 3.4).
/// </summary>
/// <remarks>
/// With MinHash, two signatures agree at a position with probability J (their Jaccard similarity), so the
/// probability that a pair becomes a candidate is <c>1 - (1 - J^r)^b</c> (<see cref="CandidateProbability"/>).
/// <see cref="Optimize"/> chooses b and r the way Python datasketch's <c>MinHashLSH</c> does; that choice
/// can leave the recall at the threshold itself low (128 hashes: 55 % at J = 0.5, 40 % at J = 0.8,
/// 31 % at datasketch's default J = 0.9). <see cref="ForRecall"/> lets the caller require a recall there.
/// A value of this type is immutable and safe to share between threads.
/// </remarks>
/// <param name="Bands">Number of bands b (hash tables of an <see cref="LshIndex"/>); at least 1.</param>
/// <param name="RowsPerBand">Signature values per band r; at least 1.</param>
public readonly record struct LshParameters(int Bands, int RowsPerBand)
{
    /// <summary>Number of signature values the banding reads: <see cref="Bands"/> × <see cref="RowsPerBand"/>.</summary>
    public int HashesUsed => Bands * RowsPerBand;

    /// <summary>
    /// Chooses the banding that minimizes <c>falsePositiveWeight × FP + falseNegativeWeight × FN</c>, where FP is
    /// the area under the candidate probability for J in [0, threshold] and FN the area above it for J in
    /// [threshold, 1], over every b ≥ 1, r ≥ 1 with b × r ≤ <paramref name="hashCount"/>. This is the grid
    /// search of Python datasketch's <c>MinHashLSH._optimal_param</c> (same order, ties keep the first found),
    /// so the same arguments give the same bands and rows.
    /// </summary>
    /// <param name="threshold">Jaccard similarity threshold, in (0, 1).</param>
    /// <param name="hashCount">Signature length k (MinHash values), 1 to 4096.</param>
    /// <param name="falsePositiveWeight">Weight of the false-positive area, ≥ 0.</param>
    /// <param name="falseNegativeWeight">Weight of the false-negative area, ≥ 0; the two weights may not both be 0.</param>
    /// <returns>The optimal banding. Check its recall at the threshold with <see cref="CandidateProbability"/>; it is often far below 1.</returns>
    /// <remarks>Complexity O(k log k) banding candidates × a fixed 512-point quadrature each (about 15 ms for k = 128). Thread-safe.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the ranges above.</exception>
    public static LshParameters Optimize(double threshold, int hashCount, double falsePositiveWeight = 0.5, double falseNegativeWeight = 0.5)
    {
        ValidateThresholdAndCount(threshold, hashCount);
        if (!(falsePositiveWeight >= 0) || double.IsInfinity(falsePositiveWeight))
            LshThrow.ArgumentOutOfRange(nameof(falsePositiveWeight), "The false-positive weight must be a finite number >= 0.");
        if (!(falseNegativeWeight >= 0) || double.IsInfinity(falseNegativeWeight))
            LshThrow.ArgumentOutOfRange(nameof(falseNegativeWeight), "The false-negative weight must be a finite number >= 0.");
        if (falsePositiveWeight == 0 && falseNegativeWeight == 0)
            LshThrow.ArgumentOutOfRange(nameof(falseNegativeWeight), "The false-positive and false-negative weights cannot both be 0.");

        double minError = double.PositiveInfinity;
        var best = new LshParameters(1, 1);
        for (int b = 1; b <= hashCount; b++)
        {
            int maxRows = hashCount / b;
            for (int r = 1; r <= maxRows; r++)
            {
                var candidate = new LshParameters(b, r);
                double error = falsePositiveWeight * candidate.FalsePositiveArea(threshold)
                    + falseNegativeWeight * candidate.FalseNegativeArea(threshold);
                if (error < minError)
                {
                    minError = error;
                    best = candidate;
                }
            }
        }
        return best;
    }

    /// <summary>
    /// Chooses the banding with the fewest false positives (smallest area under the candidate probability for
    /// J in [0, threshold]) among those whose probability of returning a pair at exactly J = threshold is at least
    /// <paramref name="recallAtThreshold"/>, over every b ≥ 1, r ≥ 1 with b × r ≤ <paramref name="hashCount"/>.
    /// Pairs more similar than the threshold are found with at least that probability too (the curve rises with J).
    /// </summary>
    /// <param name="threshold">Jaccard similarity threshold, in (0, 1).</param>
    /// <param name="hashCount">Signature length k (MinHash values), 1 to 4096.</param>
    /// <param name="recallAtThreshold">Required P(candidate | J = threshold), in (0, 1].</param>
    /// <returns>The banding; ties keep the one with fewer bands, then fewer rows.</returns>
    /// <remarks>Complexity as <see cref="Optimize"/>. Thread-safe.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the ranges above.</exception>
    /// <exception cref="ArgumentException">No banding of <paramref name="hashCount"/> values reaches the recall (the message gives the best reachable).</exception>
    public static LshParameters ForRecall(double threshold, int hashCount, double recallAtThreshold)
    {
        ValidateThresholdAndCount(threshold, hashCount);
        if (!(recallAtThreshold > 0 && recallAtThreshold <= 1))
            LshThrow.ArgumentOutOfRange(nameof(recallAtThreshold), "The recall at the threshold must be in (0, 1].");

        double minFalsePositive = double.PositiveInfinity;
        double bestRecall = 0;
        LshParameters? best = null;
        for (int b = 1; b <= hashCount; b++)
        {
            int maxRows = hashCount / b;
            for (int r = 1; r <= maxRows; r++)
            {
                var candidate = new LshParameters(b, r);
                double recall = candidate.CandidateProbability(threshold);
                bestRecall = Math.Max(bestRecall, recall);
                if (recall < recallAtThreshold) continue;
                double falsePositive = candidate.FalsePositiveArea(threshold);
                if (falsePositive < minFalsePositive)
                {
                    minFalsePositive = falsePositive;
                    best = candidate;
                }
            }
        }
        if (best is null)
        {
            LshThrow.Argument(nameof(recallAtThreshold),
                $"No banding of {hashCount} hashes reaches a recall of {recallAtThreshold} at J = {threshold}; the best reachable is {bestRecall:G6}. Use more hashes or a lower recall.");
        }
        return best.GetValueOrDefault();
    }

    /// <summary>
    /// Probability that two signatures with Jaccard similarity <paramref name="jaccard"/> agree on at least one
    /// band, and so are returned as candidates: <c>1 - (1 - J^r)^b</c>. At J = threshold this is the recall at
    /// the threshold.
    /// </summary>
    /// <param name="jaccard">Jaccard similarity; values outside [0, 1] are clamped, NaN gives NaN.</param>
    /// <returns>A probability in [0, 1]. O(1), thread-safe.</returns>
    public double CandidateProbability(double jaccard)
    {
        double j = Math.Clamp(jaccard, 0.0, 1.0);
        return 1.0 - Math.Pow(1.0 - Math.Pow(j, RowsPerBand), Bands);
    }

    /// <summary>
    /// Area under the candidate probability for J in [0, threshold]: the expected false-positive mass that
    /// <see cref="Optimize"/> weighs (datasketch's <c>_false_positive_probability</c>).
    /// </summary>
    /// <param name="threshold">Upper end of the integral, clamped to [0, 1].</param>
    /// <returns>The area, in [0, threshold]; accurate to about 1e-12 (composite 8-point Gauss-Legendre, 64 panels). Thread-safe.</returns>
    public double FalsePositiveArea(double threshold) => Integrate(0.0, Math.Clamp(threshold, 0.0, 1.0), negate: false);

    /// <summary>
    /// Area above the candidate probability for J in [threshold, 1], i.e. the integral of
    /// <c>1 - CandidateProbability(J)</c>: the expected false-negative mass that <see cref="Optimize"/> weighs
    /// (datasketch's <c>_false_negative_probability</c>).
    /// </summary>
    /// <param name="threshold">Lower end of the integral, clamped to [0, 1].</param>
    /// <returns>The area, in [0, 1 - threshold]; accuracy as <see cref="FalsePositiveArea"/>. Thread-safe.</returns>
    public double FalseNegativeArea(double threshold) => Integrate(Math.Clamp(threshold, 0.0, 1.0), 1.0, negate: true);

    // Composite Gauss-Legendre: the integrand is a polynomial of degree b*r in J, smooth on every panel, so 8
    // nodes on 64 panels is far more exact than the differences between neighbouring bandings.
    private static ReadOnlySpan<double> GaussNodes => [0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
    private static ReadOnlySpan<double> GaussWeights => [0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];
    private const int Panels = 64;

    private double Integrate(double from, double to, bool negate)
    {
        if (to <= from) return 0.0;
        double width = (to - from) / Panels;
        double half = width / 2;
        double sum = 0;
        for (int p = 0; p < Panels; p++)
        {
            double mid = from + (p * width) + half;
            for (int i = 0; i < 4; i++)
            {
                double dx = half * GaussNodes[i];
                double a = CandidateProbability(mid - dx);
                double c = CandidateProbability(mid + dx);
                if (negate)
                {
                    a = 1.0 - a;
                    c = 1.0 - c;
                }
                sum += GaussWeights[i] * (a + c);
            }
        }
        return sum * half;
    }

    private static void ValidateThresholdAndCount(double threshold, int hashCount)
    {
        if (!(threshold > 0 && threshold < 1))
            LshThrow.ArgumentOutOfRange(nameof(threshold), "The Jaccard threshold must be in (0, 1).");
        if (hashCount is < 1 or > MaxHashCount)
            LshThrow.ArgumentOutOfRange(nameof(hashCount), $"The hash count must be in 1..{MaxHashCount}.");
    }

    /// <summary>Largest signature length the optimizers search (the grid grows as k log k).</summary>
    internal const int MaxHashCount = 4096;
}
