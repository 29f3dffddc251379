namespace DistillDetect.Accounts;

/// <summary>
/// Fast synthetic account profiles for scale measurements (benchmarks and the scale test): mostly people
/// with their own one-off templates plus some popular ones (Zipf), a few popular-prompt pasters, and
/// campaigns of 500 accounts on 5 shared templates with synchronized, wave-like timing. No real data.
/// </summary>
internal static class SyntheticProfiles
{
    public static List<AccountProfile> Build(int count, int seed, int exchangesPerAccount = 30)
    {
        var rng = new Random(seed);
        var list = new List<AccountProfile>(count);
        long t0 = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc).Ticks;
        long span = 42 * TimeSpan.TicksPerDay;
        for (int i = 0; i < count; i++)
        {
            var p = new AccountProfile();
            int kind = i % 20; // 0: campaign, 1: popular paster, else a person
            if (kind == 0)
            {
                int campaign = i / 20 / 500;
                long start = t0 + (long)(span * ((campaign * 7919) % 100) / 100.0 * 0.8);
                long t = start + rng.NextInt64(TimeSpan.TicksPerDay);
                for (int e = 0; e < exchangesPerAccount * 3; e++)
                {
                    p.Observe(1_000_000_000L + campaign * 10 + rng.Next(5), t);
                    t += rng.NextInt64(TimeSpan.TicksPerMinute * 40);
                }
            }
            else
            {
                long t = t0 + rng.NextInt64(span);
                for (int e = 0; e < exchangesPerAccount; e++)
                {
                    long template = kind == 1 && e < 2 ? 7 : rng.NextDouble() < 0.2 ? Zipf(rng, 1000) : rng.NextInt64();
                    p.Observe(template, t);
                    t += rng.NextInt64(TimeSpan.TicksPerHour * 20);
                }
            }
            list.Add(p);
        }
        return list;
    }

    private static long Zipf(Random rng, int n) => (long)Math.Floor(Math.Pow(n, rng.NextDouble()));
}
