namespace DistillDetect.Cli.Simulation;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): eight bytes of state, a fixed algorithm, so the same seed gives the same stream on every
/// machine and runtime (unlike <see cref="Random"/>, whose algorithm is unspecified).
/// </summary>
/// <remarks>A mutable struct: pass it by <see langword="ref"/>. Not thread-safe.</remarks>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Creates a generator whose next output is determined by <paramref name="state"/>.</summary>
    public SplitMix64(ulong state) => State = state;

    /// <summary>The whole generator state; storing it and constructing from it resumes the stream.</summary>
    public ulong State { get; private set; }

    /// <summary>The SplitMix64 output function: a bijection on 64-bit values with good avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Derives an independent-looking seed from a parent seed and a stream number.</summary>
    public static ulong Derive(ulong seed, ulong stream) => Mix(Mix(seed ^ 0x5DEECE66DUL) + (stream * Gamma) + 0x2545F4914F6CDD1DUL);

    /// <summary>Returns the next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        State += Gamma;
        return Mix(State);
    }

    /// <summary>Returns a uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform integer in [0, <paramref name="count"/>); <paramref name="count"/> must be positive.</summary>
    /// <remarks>Lemire's multiply-shift without rejection: the bias is below count / 2^32, negligible here.</remarks>
    public int NextInt(int count) => (int)(((NextUInt64() >> 32) * (ulong)(uint)count) >> 32);

    /// <summary>Returns a uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive).</summary>
    public int NextInt(int min, int max) => min + NextInt(max - min + 1);

    /// <summary>Returns a uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Returns <see langword="true"/> with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A standard normal variate by Marsaglia's polar method (needs only log and sqrt, both deterministic here).</summary>
    public double NextNormal()
    {
        while (true)
        {
            double u = (2.0 * NextDouble()) - 1.0;
            double v = (2.0 * NextDouble()) - 1.0;
            double s = (u * u) + (v * v);
            if (s >= 1.0 || s == 0.0)
            {
                continue;
            }
            return u * Math.Sqrt(-2.0 * DeterministicMath.Log(s) / s);
        }
    }

    /// <summary>A log-normal variate with the given median and shape (sigma of the underlying normal).</summary>
    public double NextLogNormal(double median, double sigma) => median * DeterministicMath.Exp(sigma * NextNormal());

    /// <summary>An exponential variate with mean 1.</summary>
    public double NextExponential() => -DeterministicMath.Log(1.0 - NextDouble());
}
