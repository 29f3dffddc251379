using BenchmarkDotNet.Attributes;
using DistillDetect.Text;

namespace DistillDetect.Benchmarks;

/// <summary>Normalization of a 2 KB ASCII prompt and of a disguised copy (homoglyphs, zero-width, fullwidth) against a naive Regex/ToLower pipeline.</summary>
[MemoryDiagnoser]
public class NormalizerBenchmarks
{
    private readonly char[] _destination = new char[PromptNormalizer.GetMaxNormalizedLength(4096)];
    private string _ascii = "";
    private string _disguised = "";

    [GlobalSetup]
    public void Setup()
    {
        _ascii = MinHashBenchmarks.Prompt(42);
        var rng = new Random(7);
        var sb = new System.Text.StringBuilder(_ascii.Length + 256);
        foreach (char c in _ascii)
        {
            int r = rng.Next(40);
            sb.Append(r switch
            {
                0 when c == 'a' => '\u0430',
                1 when c == 'o' => '\u03BF',
                2 => '\u200B',
                3 when c is >= 'a' and <= 'z' => (char)(c - 'a' + '\uFF41'),
                _ => c,
            });
        }
        _disguised = sb.ToString();
    }

    [Benchmark(Baseline = true, Description = "naive: NFKC + ToLowerInvariant + Regex")]
    public string Naive() =>
        System.Text.RegularExpressions.Regex.Replace(_ascii.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant(), @"[\W_]+", " ").Trim();

    [Benchmark(Description = "PromptNormalizer, ASCII 2 KB")]
    public int Ascii() => PromptNormalizer.Normalize(_ascii, _destination, NormalizationOptions.MaskNumbers);

    [Benchmark(Description = "PromptNormalizer, disguised 2 KB")]
    public int Disguised() => PromptNormalizer.Normalize(_disguised, _destination, NormalizationOptions.MaskNumbers);
}
