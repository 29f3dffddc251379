namespace DistillDetect.RatePatterns;

/// <summary>
/// Lilliefors-corrected p-value of the Kolmogorov-Smirnov statistic of a sample against an exponential
/// whose mean is estimated from the same sample (Lilliefors 1969). The null distribution of D does not
/// depend on the true mean (D is scale invariant), only on n, so it is simulated once per n with a fixed
/// seed and cached: <see cref="Replicates"/> samples of n unit exponentials, each tested against its own
/// mean. p = (1 + #{D_null >= D}) / (Replicates + 1), Monte Carlo standard error sqrt(p(1-p)/Replicates)
/// (0.007 at p = 0.05). For n above <see cref="MaxExactN"/> the n = 128 table is used on the scale of
/// Stephens' modified statistic D* = (D - 0.2/n)(sqrt(n) + 0.26 + 0.5/sqrt(n)) (Stephens 1974), whose null
/// distribution is nearly free of n. Thread-safe; the first call for an n costs about n milliseconds / 32.
/// </summary>
internal static class LillieforsExponential
{
    internal const int Replicates = 1000;
    internal const int MaxExactN = 128;
    private const ulong Seed = 0x5DEECE66DUL;

    private static readonly double[]?[] s_tables = new double[MaxExactN + 1][];

    /// <summary>The p-value for statistic <paramref name="d"/> of a sample of size <paramref name="n"/>; NaN for n &lt; 2 or NaN d.</summary>
    internal static double PValue(int n, double d)
    {
        if (n < 2 || double.IsNaN(d)) return double.NaN;
        double[] table;
        double stat;
        if (n <= MaxExactN)
        {
            table = Table(n);
            stat = d;
        }
        else
        {
            table = Table(MaxExactN);
            // Map the observed D onto D at n = 128 through Stephens' modified statistic.
            double star = Modified(n, d);
            double rn = Math.Sqrt(MaxExactN);
            stat = star / (rn + 0.26 + 0.5 / rn) + 0.2 / MaxExactN;
        }
        // table is ascending: count the entries >= stat.
        int lo = 0, hi = table.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (table[mid] < stat) lo = mid + 1; else hi = mid;
        }
        int atLeast = table.Length - lo;
        return (1.0 + atLeast) / (Replicates + 1.0);
    }

    /// <summary>Stephens' modified statistic for the exponential with estimated mean.</summary>
    internal static double Modified(int n, double d)
    {
        double rn = Math.Sqrt(n);
        return (d - 0.2 / n) * (rn + 0.26 + 0.5 / rn);
    }

    private static double[] Table(int n)
    {
        double[]? table = Volatile.Read(ref s_tables[n]);
        if (table is not null) return table;
        table = Simulate(n);
        // Two threads may both simulate; the results are identical (same seed), so either may win.
        Interlocked.CompareExchange(ref s_tables[n], table, null);
        return Volatile.Read(ref s_tables[n])!;
    }

    private static double[] Simulate(int n)
    {
        var table = new double[Replicates];
        var sample = new double[n];
        ulong state = Seed ^ ((ulong)n * 0x9E3779B97F4A7C15UL);
        for (int r = 0; r < Replicates; r++)
        {
            for (int i = 0; i < n; i++)
            {
                // 53 random bits -> u in (0, 1]; -ln(u) is a unit exponential.
                double u = ((SplitMix.Next(ref state) >> 11) + 1) * (1.0 / (1UL << 53));
                sample[i] = -Math.Log(u);
            }
            Array.Sort(sample);
            table[r] = KolmogorovSmirnov.ExponentialStatistic(sample);
        }
        Array.Sort(table);
        return table;
    }
}
