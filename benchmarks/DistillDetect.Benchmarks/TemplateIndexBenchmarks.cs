using System.Text;
using BenchmarkDotNet.Attributes;
using DistillDetect.Fingerprints;

namespace DistillDetect.Benchmarks;

/// <summary>
/// <see cref="TemplateIndex.Assign(ReadOnlySpan{char})"/> of a 2 KB prompt into an index that already holds five
/// wrapper templates (200 prompts each) and 2,000 unrelated 2 KB prompts. Baseline: the naive grouping, a MinHash
/// of the whole prompt compared with one stored signature per known template (linear scan, 2,005 templates),
/// which is also blind to a short wrapper around a long task. Prompts are generated from a fixed seed (no data files).
/// </summary>
[MemoryDiagnoser]
public class TemplateIndexBenchmarks
{
    private const int PromptChars = 2048;
    private static readonly string[] s_words =
        ("list string integer array tuple dictionary matrix graph tree node edge path cost sum product maximum minimum average " +
         "median count number digit prime factor divisor element index position window range interval pair sort reverse rotate " +
         "merge split filter find remove insert replace check compute return given first last second smallest largest unique " +
         "duplicate common frequent character word sentence vowel binary decimal even odd positive negative sequence series").Split(' ');

    private static readonly (string Prefix, string Suffix)[] s_wrappers =
    [
        ("You are an expert software engineer. Read the task below carefully and reason about it step by step before you write anything.\n\nTask:\n",
         "\n\nReturn the complete, runnable solution in a single code block, followed by a short explanation of its time complexity."),
        ("### Instruction\nSolve the following programming problem. Think through the edge cases first, then write clean and well documented code.\n\n",
         "\n\n### Response\nLet us work through this carefully, one step at a time."),
        ("I am collecting high quality reference answers for a training set. For the problem that follows, show your full chain of reasoning and then the final program.\n\n",
         "\n\nBe thorough: include tests for the examples and explain every design decision you make."),
        ("", "\n\nPlease answer with detailed reasoning first, then give the final Python code only, with no extra commentary after it."),
        ("Act as a senior Python developer and solve this problem completely, explaining your approach as you go:\n", ""),
    ];

    private TemplateIndex _index = null!;
    private string[] _wrapped = null!;
    private char[] _fresh = null!;
    private int[] _freshWordStarts = null!;
    private uint[][] _naiveSignatures = null!;
    private uint[] _signature = null!;
    private MinHasher _hasher = null!;
    private Random _random = null!;
    private int _next;

    private static string Task(Random random, int chars)
    {
        var sb = new StringBuilder(chars + 64);
        int inSentence = 0;
        while (sb.Length < chars)
        {
            sb.Append(s_words[random.Next(s_words.Length)]);
            if (++inSentence == 14)
            {
                sb.Append(". ");
                inSentence = 0;
            }
            else
            {
                sb.Append(' ');
            }
        }
        return sb.ToString(0, chars);
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2026);
        _index = new TemplateIndex();
        _hasher = _index.Hasher;
        var naive = new List<uint[]>();
        for (int w = 0; w < s_wrappers.Length; w++)
        {
            for (int i = 0; i < 200; i++)
            {
                string p = s_wrappers[w].Prefix + Task(random, PromptChars - 250) + s_wrappers[w].Suffix;
                _index.Assign(p);
                if (i == 0) naive.Add(_hasher.Compute(p));
            }
        }
        for (int i = 0; i < 2000; i++)
        {
            string p = Task(random, PromptChars);
            _index.Assign(p);
            naive.Add(_hasher.Compute(p));
        }
        _naiveSignatures = naive.ToArray();
        _wrapped = new string[64];
        for (int i = 0; i < _wrapped.Length; i++)
        {
            var (prefix, suffix) = s_wrappers[i % s_wrappers.Length];
            _wrapped[i] = prefix + Task(random, PromptChars - 250) + suffix;
        }
        _fresh = Task(random, PromptChars).ToCharArray();
        var starts = new List<int>();
        for (int i = 0; i < _fresh.Length - 8; i += 97)
        {
            while (i < _fresh.Length - 8 && _fresh[i] != ' ') i++;
            starts.Add(i + 1);
        }
        _freshWordStarts = starts.ToArray();
        _signature = new uint[_hasher.HashCount];
        _random = new Random(7);
    }

    /// <summary>Naive: whole-prompt MinHash, then the best Jaccard over one signature per known template.</summary>
    [Benchmark(Baseline = true)]
    public int NaiveLinearScan()
    {
        string prompt = _wrapped[_next++ & 63];
        _hasher.Compute(prompt, _signature);
        int best = -1;
        double bestJ = 0.5;
        for (int i = 0; i < _naiveSignatures.Length; i++)
        {
            double j = MinHashSignature.EstimateJaccard(_signature, _naiveSignatures[i]);
            if (j >= bestJ)
            {
                bestJ = j;
                best = i;
            }
        }
        return best;
    }

    /// <summary>A 2 KB wrapped prompt with a new task joins its wrapper's template (the campaign path).</summary>
    [Benchmark]
    public long AssignWrapped() => _index.Assign(_wrapped[_next++ & 63]);

    /// <summary>
    /// A 2 KB prompt like one seen before but with about 20 of its words replaced by random letters each call
    /// (an edited copy): segment lookups find its unchanged sentences, or the near-duplicate LSH finds it.
    /// </summary>
    [Benchmark]
    public long AssignEditedCopy()
    {
        foreach (int start in _freshWordStarts)
        {
            for (int k = 0; k < 6; k++) _fresh[start + k] = (char)('a' + _random.Next(26));
        }
        return _index.Assign(_fresh);
    }

    /// <summary>
    /// A 2 KB prompt of words never seen before (written from a pool of 65,536 random 6-letter words, about
    /// 1 us of the time): every segment is new, the outer sentences are sketched, the LSH is queried, and the
    /// prompt founds a template (allocating its example and counters); segments and templates are evicted
    /// at their caps, as in steady state.
    /// </summary>
    [Benchmark]
    public long AssignUnrelated()
    {
        Span<char> text = _unrelated;
        int at = 0;
        int inSentence = 0;
        while (at + 7 <= text.Length)
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            _tokens.AsSpan((int)(_state & 0xFFFF) * 6, 6).CopyTo(text[at..]);
            at += 6;
            text[at++] = ++inSentence % 14 == 0 ? '.' : ' ';
            if (inSentence % 14 == 0 && at < text.Length) text[at++] = ' ';
        }
        return _index.Assign(text[..at]);
    }

    private char[] _unrelated = new char[PromptChars];
    private char[] _tokens = null!;
    private ulong _state = 88172645463325252UL;

    [GlobalSetup(Target = nameof(AssignUnrelated))]
    public void SetupUnrelated()
    {
        Setup();
        var random = new Random(11);
        _tokens = new char[65536 * 6];
        for (int i = 0; i < _tokens.Length; i++) _tokens[i] = (char)('a' + random.Next(26));
    }
}
