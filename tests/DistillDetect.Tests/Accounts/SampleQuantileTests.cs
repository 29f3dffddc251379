using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Accounts;

public class SampleQuantileTests
{
    // Bounds and order: the quantile lies between the smallest and the largest value, grows with q, and at q = i / (n - 1)
    // is the i-th smallest value; the values come back sorted (the documented side effect).
    [Property(MaxTest = 200)]
    public Property SortInPlace_IsBoundedMonotoneAndExactAtTheRanks(int[] raw, byte a, byte b)
    {
        if (raw is null || raw.Length == 0) return true.ToProperty();
        double[] values = raw.Select(v => (double)v).ToArray();
        double[] sorted = values.Order().ToArray();
        double q1 = Math.Min(a, b) / 255.0, q2 = Math.Max(a, b) / 255.0;
        double x1 = DistillDetect.SampleQuantile.SortInPlace((double[])values.Clone(), q1);
        double x2 = DistillDetect.SampleQuantile.SortInPlace(values, q2);
        bool ok = x1 >= sorted[0] && x2 <= sorted[^1] && x1 <= x2 && values.SequenceEqual(sorted);
        int n = sorted.Length;
        // i / (n - 1) * (n - 1) can miss i by an ulp, which interpolates a hair towards the next value.
        double tolerance = 1e-9 * Math.Max(1, sorted[^1] - sorted[0]);
        for (int i = 0; i < n && ok; i++) ok = Math.Abs(DistillDetect.SampleQuantile.SortInPlace((double[])sorted.Clone(), n == 1 ? 0 : (double)i / (n - 1)) - sorted[i]) <= tolerance;
        return ok.Label($"n {n}, q {q1} -> {x1}, {q2} -> {x2}");
    }

    [Fact]
    public void SortInPlace_NoValues_IsNaN() => Assert.True(double.IsNaN(DistillDetect.SampleQuantile.SortInPlace([], 0.5)));

    [Fact]
    public void SortInPlace_Median_InterpolatesBetweenTheMiddleValues() =>
        Assert.Equal(2.5, DistillDetect.SampleQuantile.SortInPlace([4, 1, 3, 2], 0.5));
}
