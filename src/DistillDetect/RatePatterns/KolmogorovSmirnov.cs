using MathNet.Numerics;

namespace DistillDetect.RatePatterns;

/// <summary>
/// Kolmogorov-Smirnov statistic of gaps against an exponential with the sample's mean, the exact
/// two-sided p-value (the same method selection as scipy.stats.kstest's default 'exact' mode, Simard and
/// L'Ecuyer 2011) and a Lilliefors p-value for the estimated mean (fixed-seed Monte Carlo).
/// </summary>
internal static class KolmogorovSmirnov
{
    /// <summary>
    /// D = sup |F_n(x) - F(x)| for F(x) = 1 - exp(-x / mean), mean = the sample's mean; NaN when the sample
    /// is empty or its mean is 0 (an exponential needs a positive scale). <paramref name="sortedSeconds"/> ascending.
    /// </summary>
    internal static double ExponentialStatistic(ReadOnlySpan<double> sortedSeconds)
    {
        int n = sortedSeconds.Length;
        if (n == 0) return double.NaN;
        double sum = 0;
        foreach (double x in sortedSeconds) sum += x;
        double mean = sum / n;
        if (!(mean > 0) || double.IsInfinity(mean)) return double.NaN;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double cdf = 1 - Math.Exp(-sortedSeconds[i] / mean); // absolute error 1e-16, far below any D of interest
            double plus = (i + 1.0) / n - cdf;
            double minus = cdf - (double)i / n;
            if (plus > d) d = plus;
            if (minus > d) d = minus;
        }
        return d;
    }

    /// <summary>
    /// P(D_n >= d) for the two-sided one-sample statistic with a fully specified continuous F. The branches
    /// follow Simard and L'Ecuyer (2011): Ruben-Gambino closed forms at the ends, twice the one-sided
    /// (Smirnov) tail where the two tails cannot both be crossed or the tail is small, the Durbin matrix
    /// (Marsaglia, Tsang and Wang 2003) and the Pelz-Good (1976) expansion for large n.
    /// </summary>
    internal static double TwoSidedSurvival(int n, double d)
    {
        if (n <= 0 || double.IsNaN(d)) return double.NaN;
        if (d >= 1) return 0;
        if (d <= 0) return 1;
        double t = n * d;
        if (t <= 1)
        {
            if (t <= 0.5) return 1;
            double cdf;
            if (n <= 140)
            {
                cdf = 1;
                for (int i = 1; i <= n; i++) cdf *= i * (1.0 / n) * (2 * t - 1);
            }
            else
            {
                cdf = Math.Exp(LogFactorialOverPower(n) + n * Math.Log(2 * t - 1));
            }
            return Clip(1 - cdf);
        }
        if (t >= n - 1) return Clip(2 * Math.Pow(1 - d, n));
        if (d >= 0.5) return Clip(2 * SmirnovSurvival(n, d));
        double nxSquared = t * d;
        if (n <= 140)
        {
            // The Durbin matrix is exact wherever scipy uses it or Pomeranz's recursion (also exact).
            if (nxSquared <= 4) return Clip(1 - DurbinCdf(n, d));
            return Clip(2 * SmirnovSurvival(n, d));
        }
        if (nxSquared >= 370) return 0;
        if (nxSquared >= 2.2) return Clip(2 * SmirnovSurvival(n, d));
        double cdfLarge = n <= 100_000 && n * Math.Pow(d, 1.5) <= 1.4 ? DurbinCdf(n, d) : PelzGoodCdf(n, d);
        return Clip(1 - cdfLarge);
    }

    private static double Clip(double p) => p < 0 ? 0 : p > 1 ? 1 : p;

    private static double LogFactorialOverPower(int n) => SpecialFunctions.GammaLn(n + 1.0) - n * Math.Log(n);

    /// <summary>
    /// One-sided tail P(D+_n >= d) by the Birnbaum-Tingey (1951) sum, every term positive, summed in log
    /// space. Above n = 1e6 the approximation exp(-(6nd+1)^2 / (18n)) is used, as cephes does.
    /// </summary>
    internal static double SmirnovSurvival(int n, double d)
    {
        if (d <= 0) return 1;
        if (d >= 1) return 0;
        if (n == 1) return 1 - d;
        double nd = n * d;
        if (nd <= 1) return 1 - d * Math.Pow(1 + d, n - 1);
        if (-2.0 * n * d * d < -708.3964185322641) return 0;
        if (nd >= n - 1) return Math.Pow(1 - d, n);
        if (n > 1_000_000)
        {
            double logp = -Math.Pow(6.0 * n * d + 1, 2) / 18.0 / n;
            return logp < -Math.Log(2) ? Math.Exp(logp) : Math.Exp(logp);
        }
        int last = (int)Math.Floor(n * (1 - d));
        double logN1 = SpecialFunctions.GammaLn(n + 1.0);
        double maxLog = double.NegativeInfinity;
        // Two passes: find the largest term, then sum exp(term - max) so nothing under- or overflows.
        for (int pass = 0; pass < 2; pass++)
        {
            double sum = 0;
            for (int j = 0; j <= last; j++)
            {
                double a = 1 - d - (double)j / n;
                if (a <= 0) continue;
                double logTerm = logN1 - SpecialFunctions.GammaLn(j + 1.0) - SpecialFunctions.GammaLn(n - j + 1.0)
                    + (n - j) * Math.Log(a) + (j - 1) * Math.Log(d + (double)j / n);
                if (pass == 0)
                {
                    if (logTerm > maxLog) maxLog = logTerm;
                }
                else
                {
                    sum += Math.Exp(logTerm - maxLog);
                }
            }
            if (pass == 1) return d * sum * Math.Exp(maxLog);
        }
        return double.NaN;
    }

    /// <summary>P(D_n &lt; d) by the Durbin matrix H^n (Marsaglia, Tsang and Wang 2003), with scaling.</summary>
    internal static double DurbinCdf(int n, double d)
    {
        double nd = n * d;
        if (nd <= 0.5) return 0;
        if (d >= 1) return 1;
        int k = (int)Math.Ceiling(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        var hm = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                int e = i - j + 1;
                hm[i * m + j] = e >= 0 ? 1 : 0;
            }
        }
        for (int i = 0; i < m; i++)
        {
            hm[i * m] -= Math.Pow(h, i + 1);
            hm[(m - 1) * m + i] -= Math.Pow(h, m - i);
        }
        hm[(m - 1) * m] += 2 * h - 1 > 0 ? Math.Pow(2 * h - 1, m) : 0;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                int e = i - j + 1;
                if (e > 0)
                {
                    double f = 1;
                    for (int g = 2; g <= e; g++) f *= g;
                    hm[i * m + j] /= f;
                }
            }
        }
        // Power by squaring; every matrix carries a base-2 exponent so nothing overflows.
        var result = new double[m * m];
        for (int i = 0; i < m; i++) result[i * m + i] = 1;
        int resultExp = 0, baseExp = 0;
        var tmp = new double[m * m];
        int power = n;
        while (power > 0)
        {
            if ((power & 1) != 0)
            {
                Multiply(result, hm, tmp, m);
                (result, tmp) = (tmp, result);
                resultExp += baseExp;
                resultExp += Rescale(result, k, m);
            }
            power >>= 1;
            if (power > 0)
            {
                Multiply(hm, hm, tmp, m);
                (hm, tmp) = (tmp, hm);
                baseExp *= 2;
                baseExp += Rescale(hm, k, m);
            }
        }
        double p = result[(k - 1) * m + (k - 1)];
        if (p <= 0) return 0;
        double logP = Math.Log(p) + resultExp * Math.Log(2) + LogFactorialOverPower(n);
        return Math.Min(1, Math.Exp(logP));
    }

    private static int Rescale(double[] a, int k, int m)
    {
        double pivot = Math.Abs(a[(k - 1) * m + (k - 1)]);
        if (pivot > 1e140 || (pivot < 1e-140 && pivot > 0))
        {
            int e = Math.ILogB(pivot);
            for (int i = 0; i < a.Length; i++) a[i] = Math.ScaleB(a[i], -e);
            return e;
        }
        return 0;
    }

    private static void Multiply(double[] a, double[] b, double[] c, int m)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int l = 0; l < m; l++) s += a[i * m + l] * b[l * m + j];
                c[i * m + j] = s;
            }
        }
    }

    /// <summary>
    /// Pelz and Good (1976) expansion of P(D_n &lt;= d): K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5 with
    /// z = d sqrt(n), each K written as theta-function sums that converge fast for small z.
    /// </summary>
    internal static double PelzGoodCdf(int n, double d)
    {
        if (d <= 0) return 0;
        if (d >= 1) return 1;
        double z = Math.Sqrt(n) * d;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2, z7 = z6 * z, z8 = z4 * z4, z10 = z8 * z2;
        double qLog = -Math.PI * Math.PI / 8 / z2;
        if (qLog < -708.3964185322641) return 0;
        double pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
        double sqrt2Pi = Math.Sqrt(2 * Math.PI);
        int maxK = (int)Math.Ceiling(16 * z / Math.PI);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int k = maxK; k >= 1; k--)
        {
            double odd = 2.0 * k - 1, o2 = odd * odd, o4 = o2 * o2, o6 = o4 * o2;
            double q = Math.Exp(qLog * o2);
            s0 += q;
            s1 += (pi2 * o2 / 4 - z2) * q;
            s2 += (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * pi2 / 4 * o2 + pi4 * (1 - 2 * z2) / 16 * o4) * q;
            s3 += (-30 * z6 - 90 * z8 + pi2 * (135 * z4 - 96 * z6) / 4 * o2 + pi4 * (-60 * z2 + 212 * z4) / 16 * o4
                + pi6 * (5 - 30 * z2) / 64 * o6) * q;
        }
        double k0 = sqrt2Pi / z * s0;
        double k1 = sqrt2Pi / (6 * z4) * s1;
        double k2 = sqrt2Pi / (72 * z7) * s2;
        double k3 = sqrt2Pi / (6480 * z10) * s3;
        double e2 = 0, e3 = 0;
        double q2Log = -pi2 / 2 / z2;
        for (int k = maxK; k >= 1; k--)
        {
            double kk = (double)k * k;
            double q = Math.Exp(q2Log * kk);
            e2 += kk * q;
            e3 += (3 * z2 - pi2 * kk) * kk * q;
        }
        k2 += e2 * pi2 * sqrt2Pi / (-36 * z3);
        k3 += e3 * pi2 * sqrt2Pi / (216 * z6);
        double sn = Math.Sqrt(n);
        return k0 + k1 / sn + k2 / n + k3 / (n * sn);
    }
}
