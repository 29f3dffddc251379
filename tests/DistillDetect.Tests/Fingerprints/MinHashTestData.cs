using System.Text;

namespace DistillDetect.Tests.Fingerprints;

/// <summary>Deterministic inputs shared by the MinHash tests.</summary>
internal static class MinHashTestData
{
    private static readonly string[] Vocabulary =
        ("reason step by step then give the full code for this task write a python function that returns sorted list " +
         "of numbers given input string parse each line and count words explain your answer briefly with examples test " +
         "cases edge empty null large performance memory complexity optimal solution algorithm data structure graph tree").Split(' ');

    /// <summary>A prompt of about <paramref name="chars"/> chars of English-like words, numbers and punctuation.</summary>
    internal static string Prompt(int seed, int chars = 2048)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(chars + 32);
        while (sb.Length < chars)
        {
            int r = rng.Next(20);
            if (r == 0) sb.Append(rng.Next(1000));
            else sb.Append(Vocabulary[rng.Next(Vocabulary.Length)]);
            sb.Append(r switch { 1 => ", ", 2 => ". ", 3 => "\n", _ => " " });
        }
        return sb.ToString(0, chars);
    }

    /// <summary>Two random sets of 64-bit elements with exactly the given intersection and differences.</summary>
    internal static (ulong[] A, ulong[] B) Pair(Random rng, int both, int onlyA, int onlyB)
    {
        var a = new ulong[both + onlyA];
        var b = new ulong[both + onlyB];
        for (int i = 0; i < both; i++) a[i] = b[i] = NextUlong(rng);
        for (int i = 0; i < onlyA; i++) a[both + i] = NextUlong(rng);
        for (int i = 0; i < onlyB; i++) b[both + i] = NextUlong(rng);
        return (a, b);
    }

    internal static ulong NextUlong(Random rng) => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
}
