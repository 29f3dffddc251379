using System.Runtime.CompilerServices;

namespace DistillDetect;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a fixed, portable generator and its finalizer, identical on every
/// machine. The library's seeded parameter streams and cheap scalar hash families all use this one copy.
/// </summary>
internal static class SplitMix
{
    /// <summary>The generator's increment (the golden ratio times 2^64).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Advances <paramref name="state"/> by <see cref="Gamma"/> and returns the mixed new state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ref ulong state) => Mix(state += Gamma);

    /// <summary>The SplitMix64 finalizer: a bijective 64-bit mix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
