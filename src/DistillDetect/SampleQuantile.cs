namespace DistillDetect;

/// <summary>Quantiles of small samples (a cohort's members, a campaign's accounts).</summary>
internal static class SampleQuantile
{
    /// <summary>
    /// The linear-interpolation quantile q (0 to 1) of <paramref name="values"/>, NaN for none. Sorts
    /// <paramref name="values"/> in place: pass a copy when its order still matters to the caller.
    /// </summary>
    public static double SortInPlace(double[] values, double q)
    {
        if (values.Length == 0) return double.NaN;
        Array.Sort(values);
        double pos = q * (values.Length - 1);
        int lo = (int)pos;
        int hi = Math.Min(values.Length - 1, lo + 1);
        return values[lo] + (values[hi] - values[lo]) * (pos - lo);
    }
}
