using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DistillDetect.Fingerprints;

namespace DistillDetect.Benchmarks;

/// <summary>
/// Normalize + shingle + 128-value signature of a 2 KB prompt, and the Jaccard estimate of two signatures,
/// each against the naive way (k seeded hash functions over a HashSet of shingle strings; exact Jaccard of
/// two HashSets). The prompt is generated from a fixed seed, so runs are comparable.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MinHashBenchmarks
{
    private const int K = 128;
    private static readonly string[] Vocabulary =
        ("reason step by step then give the full code for this task write a python function that returns sorted list " +
         "of numbers given input string parse each line and count words explain your answer briefly with examples test " +
         "cases edge empty null large performance memory complexity optimal solution algorithm data structure graph tree " +
         "Please carefully review following snippet identify bugs suggest improvements").Split(' ');

    private readonly uint[] _signature = new uint[K];
    private string _prompt = "";
    private string _other = "";
    private MinHasher _onePermutation = null!;
    private MinHasher _kIndependent = null!;
    private uint[] _sigA = [];
    private uint[] _sigB = [];
    private HashSet<string> _setA = [];
    private HashSet<string> _setB = [];

    [GlobalSetup]
    public void Setup()
    {
        _prompt = Prompt(42);
        _other = Prompt(43);
        _onePermutation = new MinHasher();
        _kIndependent = new MinHasher(new MinHashOptions { Scheme = MinHashScheme.KIndependent });
        _sigA = _onePermutation.Compute(_prompt);
        _sigB = _onePermutation.Compute(_other);
        _setA = NaiveShingles(_prompt);
        _setB = NaiveShingles(_other);
    }

    /// <summary>An English-like 2,048-char prompt with numbers, punctuation and line breaks.</summary>
    internal static string Prompt(int seed, int chars = 2048)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(chars + 32);
        while (sb.Length < chars)
        {
            int r = rng.Next(20);
            sb.Append(r == 0 ? rng.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : Vocabulary[rng.Next(Vocabulary.Length)]);
            sb.Append(r switch { 1 => ", ", 2 => ". ", 3 => "\n", _ => " " });
        }
        return sb.ToString(0, chars);
    }

    private static HashSet<string> NaiveShingles(string prompt)
    {
        string[] words = prompt.ToLowerInvariant().Split([' ', '\n', ',', '.'], StringSplitOptions.RemoveEmptyEntries);
        var set = new HashSet<string>();
        for (int i = 0; i + 3 <= words.Length; i++) set.Add(string.Join(' ', words, i, 3));
        return set;
    }

    [Benchmark(Baseline = true, Description = "naive: k seeded hashes over HashSet<string>")]
    [BenchmarkCategory("Signature")]
    public uint[] NaiveSignature()
    {
        HashSet<string> shingles = NaiveShingles(_prompt);
        var signature = new uint[K];
        Array.Fill(signature, uint.MaxValue);
        foreach (string s in shingles)
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(s.AsSpan());
            for (int j = 0; j < K; j++)
                signature[j] = Math.Min(signature[j], (uint)XxHash3.HashToUInt64(bytes, j));
        }
        return signature;
    }

    [Benchmark(Description = "OnePermutation (default)")]
    [BenchmarkCategory("Signature")]
    public uint OnePermutation()
    {
        _onePermutation.Compute(_prompt, _signature);
        return _signature[0];
    }

    [Benchmark(Description = "KIndependent")]
    [BenchmarkCategory("Signature")]
    public uint KIndependent()
    {
        _kIndependent.Compute(_prompt, _signature);
        return _signature[0];
    }

    [Benchmark(Baseline = true, Description = "exact Jaccard of two HashSet<string>")]
    [BenchmarkCategory("Jaccard")]
    public double ExactJaccard()
    {
        int both = 0;
        foreach (string s in _setA)
            if (_setB.Contains(s)) both++;
        return (double)both / (_setA.Count + _setB.Count - both);
    }

    [Benchmark(Description = "EstimateJaccard (128 values)")]
    [BenchmarkCategory("Jaccard")]
    public double EstimateJaccard() => MinHashSignature.EstimateJaccard(_sigA, _sigB);
}
