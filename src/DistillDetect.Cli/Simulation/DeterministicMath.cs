namespace DistillDetect.Cli.Simulation;

/// <summary>
/// Natural logarithm and exponential built from IEEE-754 basic operations only, so every machine computes
/// bit-identical results. <see cref="Math.Log(double)"/> and <see cref="Math.Exp"/> call the platform's C
/// library, whose last-bit rounding differs between operating systems and CPUs, which would break the
/// simulator's "same seed, same bytes everywhere" promise. Accuracy is within a few ulps; speed is about
/// that of the platform functions.
/// </summary>
internal static class DeterministicMath
{
    private const double Ln2 = 0.69314718055994530942;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>ln(<paramref name="x"/>) for finite <paramref name="x"/> &gt; 0; NaN for x &lt;= 0 or NaN.</summary>
    public static double Log(double x)
    {
        if (!(x > 0.0) || double.IsPositiveInfinity(x))
        {
            return x == 0.0 ? double.NegativeInfinity : double.IsPositiveInfinity(x) ? x : double.NaN;
        }
        int extra = 0;
        if (x < 2.2250738585072014E-308)
        {
            // Subnormal: scale into the normal range first (exact).
            x *= 18014398509481984.0; // 2^54
            extra = -54;
        }
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1023 + extra;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            exponent++;
        }
        // ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m-1)/(m+1), |s| <= 0.1716, so 12 terms reach 1e-19.
        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double p = 1.0 / 25.0;
        p = (p * s2) + (1.0 / 23.0);
        p = (p * s2) + (1.0 / 21.0);
        p = (p * s2) + (1.0 / 19.0);
        p = (p * s2) + (1.0 / 17.0);
        p = (p * s2) + (1.0 / 15.0);
        p = (p * s2) + (1.0 / 13.0);
        p = (p * s2) + (1.0 / 11.0);
        p = (p * s2) + (1.0 / 9.0);
        p = (p * s2) + (1.0 / 7.0);
        p = (p * s2) + (1.0 / 5.0);
        p = (p * s2) + (1.0 / 3.0);
        p = (p * s2) + 1.0;
        return (exponent * Ln2) + (2.0 * s * p);
    }

    /// <summary>e^<paramref name="x"/>; 0 below -745, +infinity above 709.78, NaN for NaN.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        if (x < -745.0)
        {
            return 0.0;
        }
        if (x > 709.78)
        {
            return double.PositiveInfinity;
        }
        double k = Math.Round(x / Ln2);
        double r = x - (k * Ln2);
        // Taylor series of e^r for |r| <= 0.35: 19 terms reach 1e-24.
        return Math.ScaleB(ExpSeries(r), (int)k);
    }

    /// <summary>x^y for x &gt; 0, as e^(y ln x).</summary>
    public static double Pow(double x, double y) => Exp(y * Log(x));

    private static double ExpSeries(double r)
    {
        // Horner form of sum_{i=0}^{18} r^i / i!.
        double p = 1.0;
        for (int i = 18; i >= 1; i--)
        {
            p = 1.0 + (r * p / i);
        }
        return p;
    }
}
