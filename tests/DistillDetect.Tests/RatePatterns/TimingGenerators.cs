namespace DistillDetect.Tests.RatePatterns;

/// <summary>Synthetic request schedules with fixed seeds (UTC ticks, ascending).</summary>
internal static class TimingGenerators
{
    internal static readonly long Monday2024 = new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static long Ticks(double seconds) => (long)Math.Round(seconds * TimeSpan.TicksPerSecond);

    /// <summary>A fixed interval with uniform +-jitter (renewal form: each gap is interval * U(1 - j, 1 + j)).</summary>
    internal static long[] JitteredInterval(int seed, int count, double intervalSeconds, double jitter, long start = 0)
    {
        var rng = new Random(seed);
        var t = new long[count];
        long now = start == 0 ? Monday2024 : start;
        for (int i = 0; i < count; i++)
        {
            t[i] = now;
            now += Ticks(intervalSeconds * (1 - jitter + 2 * jitter * rng.NextDouble()));
        }
        return t;
    }

    internal static long[] Poisson(int seed, int count, double meanSeconds, long start = 0)
    {
        var rng = new Random(seed);
        var t = new long[count];
        long now = start == 0 ? Monday2024 : start;
        for (int i = 0; i < count; i++)
        {
            t[i] = now;
            now += Ticks(-meanSeconds * Math.Log(1 - rng.NextDouble()));
        }
        return t;
    }

    /// <summary>Independent log-normal gaps: median <paramref name="medianSeconds"/>, log-sd <paramref name="logSd"/> (think times).</summary>
    internal static long[] LogNormal(int seed, int count, double medianSeconds, double logSd)
    {
        var rng = new Random(seed);
        var t = new long[count];
        long now = Monday2024;
        for (int i = 0; i < count; i++)
        {
            t[i] = now;
            now += Ticks(medianSeconds * Math.Exp(logSd * StandardNormal(rng)));
        }
        return t;
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    internal static double StandardNormal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Poisson requests only inside a daily UTC shift [startHour, endHour) on weekdays, for some days.</summary>
    internal static long[] ShiftWork(int seed, int days, int startHour, int endHour, double meanSeconds)
    {
        var rng = new Random(seed);
        var t = new List<long>();
        for (int day = 0; day < days; day++)
        {
            if (day % 7 >= 5) continue;
            double s = day * 86400.0 + startHour * 3600.0;
            while (s < day * 86400.0 + endHour * 3600.0)
            {
                t.Add(Monday2024 + Ticks(s));
                s += -meanSeconds * Math.Log(1 - rng.NextDouble());
            }
        }
        return t.ToArray();
    }

    /// <summary>
    /// A person: 2-5 sessions a day starting between 14:00 and 22:00 UTC (a European evening), 3-40
    /// requests a session with log-normal think times (median 20 s), fewer at weekends.
    /// </summary>
    internal static long[] Human(int seed, int days)
    {
        var rng = new Random(seed);
        var t = new List<long>();
        for (int day = 0; day < days; day++)
        {
            int sessions = day % 7 >= 5 ? rng.Next(0, 3) : rng.Next(2, 6);
            var starts = new List<double>();
            for (int k = 0; k < sessions; k++) starts.Add(day * 86400.0 + 14 * 3600 + rng.NextDouble() * 8 * 3600);
            starts.Sort();
            double earliest = 0;
            foreach (double st in starts)
            {
                double s = Math.Max(st, earliest);
                int requests = rng.Next(3, 41);
                for (int r = 0; r < requests; r++)
                {
                    t.Add(Monday2024 + Ticks(s));
                    s += Math.Exp(Math.Log(20) + 1.0 * StandardNormal(rng));
                }
                earliest = s + 60;
            }
        }
        return t.ToArray();
    }
}
