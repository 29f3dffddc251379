using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

/// <summary>
/// Computes MinHash signatures of prompts (normalize, shingle words, sign) or of arbitrary sets of 64-bit
/// element hashes. The fraction of equal positions in two signatures estimates the Jaccard similarity of the
/// two shingle sets (<see cref="MinHashSignature.EstimateJaccard"/>).
/// </summary>
/// <remarks>
/// <para>Empty set: a prompt that normalizes to nothing (or an empty hash set) has the signature with every
/// value <see cref="uint.MaxValue"/>; two empty signatures are equal, so their estimated Jaccard is 1.</para>
/// <para>Element hashes are first passed through a seeded bijective mixer, so structured inputs (small
/// integers such as template ids) are as good as random hashes. Signatures are identical on every machine
/// for equal options and input.</para>
/// <para>Thread safety: immutable; every member is thread-safe.</para>
/// </remarks>
public sealed class MinHasher
{
    /// <summary>The Mersenne prime 2^61 - 1 of the k-independent permutations.</summary>
    internal const ulong MersennePrime = (1UL << 61) - 1;

    /// <summary>Internal minimum of a bin no element has reached.</summary>
    internal const ulong EmptyBin = ulong.MaxValue;

    private const int StackChars = 2048;
    private const int StackShingles = 1024;

    private readonly int _k;
    private readonly int _shingleSize;
    private readonly long _seed;
    private readonly NormalizationOptions _normalization;
    private readonly ulong _elementKey;
    private readonly ulong _densifyKey;
    private readonly ulong[] _a;
    private readonly ulong[] _b;

    /// <summary>Creates a hasher. O(k).</summary>
    /// <param name="options">Parameters; null means the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="MinHashOptions.Validate"/>).</exception>
    public MinHasher(MinHashOptions? options = null)
    {
        options ??= new MinHashOptions();
        options.Validate();
        Options = options;
        _k = options.HashCount;
        _shingleSize = options.ShingleSize;
        _seed = options.Seed;
        _normalization = options.Normalization;
        Scheme = options.Scheme;
        ulong state = (ulong)options.Seed;
        _elementKey = SplitMix64(ref state);
        _densifyKey = SplitMix64(ref state);
        if (Scheme == MinHashScheme.KIndependent)
        {
            _a = new ulong[_k];
            _b = new ulong[_k];
            for (int j = 0; j < _k; j++)
            {
                _a[j] = 1 + SplitMix64(ref state) % (MersennePrime - 1); // a in [1, p-1]: a permutation of [0, p)
                _b[j] = SplitMix64(ref state) % MersennePrime;
            }
        }
        else
        {
            _a = _b = [];
        }
    }

    /// <summary>The options this hasher was created with.</summary>
    public MinHashOptions Options { get; }

    /// <summary>Number of values in a signature (k).</summary>
    public int HashCount => _k;

    internal MinHashScheme Scheme { get; }

    internal long Seed => _seed;

    /// <summary>
    /// Signature of a prompt: normalize (<see cref="Options"/>.Normalization), hash word shingles
    /// (<see cref="Options"/>.ShingleSize, <see cref="Options"/>.Seed), sign. O(n + k) for the default scheme,
    /// O(n k) for k-independent. No allocation for prompts up to 2,000 chars (larger ones rent from
    /// <see cref="ArrayPool{T}"/>).
    /// </summary>
    /// <param name="prompt">The prompt, any UTF-16.</param>
    /// <param name="signature">Receives the k values; length must equal <see cref="HashCount"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="signature"/> length differs from <see cref="HashCount"/>.</exception>
    [SkipLocalsInit]
    public void Compute(ReadOnlySpan<char> prompt, Span<uint> signature)
    {
        if (signature.Length != _k) ThrowSignatureLength(nameof(signature), signature.Length);
        char[]? rentedChars = null;
        Span<char> buffer = prompt.Length <= StackChars - 16
            ? stackalloc char[StackChars]
            : (rentedChars = ArrayPool<char>.Shared.Rent(prompt.Length + 16));
        int length = NormalizerCore.TryNormalize(prompt, buffer, _normalization);
        if (length < 0)
        {
            // Expansions (ligatures, Roman numerals, ...) made the text longer than the first buffer.
            if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
            rentedChars = ArrayPool<char>.Shared.Rent(PromptNormalizer.GetMaxNormalizedLength(prompt.Length));
            buffer = rentedChars;
            length = NormalizerCore.TryNormalize(prompt, buffer, _normalization);
        }
        int maxShingles = Shingler.GetMaxWordShingleCount(length);
        ulong[]? rentedHashes = null;
        Span<ulong> hashes = maxShingles <= StackShingles
            ? stackalloc ulong[StackShingles]
            : (rentedHashes = ArrayPool<ulong>.Shared.Rent(maxShingles));
        int count = Shingler.HashWordShingles(buffer[..length], _shingleSize, _seed, hashes);
        if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
        // The buffer is ours: mix once here instead of once per filling round.
        Span<ulong> elements = hashes[..count];
        ulong key = _elementKey;
        for (int i = 0; i < elements.Length; i++) elements[i] = Shingler.Mix64(elements[i] ^ key);
        Span<ulong> mins = stackalloc ulong[_k];
        mins.Fill(EmptyBin);
        Add(elements, mins, premixed: true);
        Finish(mins, signature);
        if (rentedHashes is not null) ArrayPool<ulong>.Shared.Return(rentedHashes);
    }

    /// <summary>Signature of a prompt as a new array (thin wrapper over the span overload).</summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>A new array of <see cref="HashCount"/> values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    public uint[] Compute(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var signature = new uint[_k];
        Compute(prompt.AsSpan(), signature);
        return signature;
    }

    /// <summary>
    /// Signature of an arbitrary set of 64-bit element hashes (e.g. segment hashes, template ids); duplicates
    /// do not matter. O(n + k) for the default scheme (a few more passes over the elements for sets smaller
    /// than about k ln k), O(n k) for k-independent; no allocation for k up to 4,096.
    /// </summary>
    /// <param name="elementHashes">The set's elements (any 64-bit values; they are mixed with the seed).</param>
    /// <param name="signature">Receives the k values; length must equal <see cref="HashCount"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="signature"/> length differs from <see cref="HashCount"/>.</exception>
    public void ComputeFromHashes(ReadOnlySpan<ulong> elementHashes, Span<uint> signature)
    {
        if (signature.Length != _k) ThrowSignatureLength(nameof(signature), signature.Length);
        Sign(elementHashes, signature);
    }

    [SkipLocalsInit]
    private void Sign(ReadOnlySpan<ulong> elementHashes, Span<uint> signature)
    {
        Span<ulong> mins = stackalloc ulong[_k];
        mins.Fill(EmptyBin);
        Add(elementHashes, mins);
        Finish(mins, signature);
    }

    /// <summary>Lowers the internal minima by the given elements; the result depends only on the union of all elements ever added.</summary>
    internal void Add(ReadOnlySpan<ulong> elementHashes, Span<ulong> mins, bool premixed = false)
    {
        if (elementHashes.IsEmpty) return;
        if (Scheme == MinHashScheme.KIndependent)
        {
            AddKIndependent(elementHashes, mins, premixed);
            return;
        }
        ref ulong m = ref MemoryMarshal.GetReference(mins);
        ulong key = premixed ? 0 : _elementKey;
        int k = _k;
        foreach (ulong h in elementHashes)
        {
            ulong x = premixed ? h : Shingler.Mix64(h ^ key);
            OnePermutationHashing.Lower(ref Unsafe.Add(ref m, Bin(x, k)), (ulong)(uint)x); // round 0; Bin < k by construction
        }
        if (Scheme == MinHashScheme.OnePermutation) FillRounds(elementHashes, mins, premixed);
    }

    /// <summary>
    /// Fast similarity sketching rounds (Dahlgaard, Knudsen and Thorup 2017): round r gives each element one
    /// more bin with a value in [r 2^32, (r+1) 2^32), so a later round can only change bins still empty after
    /// the earlier ones; stop as soon as r exceeds the largest round present. Rounds k..2k-1 sweep every bin
    /// from a per-element start, so every non-empty set fills all bins. Exact: the same minima as running all
    /// 2k rounds for every element, whatever order and batching the elements arrive in.
    /// </summary>
    private void FillRounds(ReadOnlySpan<ulong> elementHashes, Span<ulong> mins, bool premixed)
    {
        ref ulong m = ref MemoryMarshal.GetReference(mins);
        ulong key = _elementKey;
        int k = _k;
        for (int r = 1; r < 2 * k; r++)
        {
            if ((ulong)r > (MaxOf(mins) >> 32)) return;
            foreach (ulong h in elementHashes)
            {
                ulong x = premixed ? h : Shingler.Mix64(h ^ key);
                ulong y = RoundHash(x, r);
                int bin = r < k ? Bin(y, k) : (Bin(RoundHash(x, k), k) + r - k) % k;
                OnePermutationHashing.Lower(ref Unsafe.Add(ref m, bin), (ulong)r << 32 | (uint)y);
            }
        }
    }

    private void AddKIndependent(ReadOnlySpan<ulong> elementHashes, Span<ulong> mins, bool premixed)
    {
        ulong[] a = _a;
        ulong[] b = _b;
        foreach (ulong h in elementHashes)
        {
            ulong x = ReduceMersenne(premixed ? h : Shingler.Mix64(h ^ _elementKey));
            for (int j = 0; j < mins.Length && j < a.Length && j < b.Length; j++)
            {
                ulong value = MulAddMod(a[j], x, b[j]);
                ulong current = mins[j];
                mins[j] = value < current ? value : current;
            }
        }
    }

    /// <summary>Turns internal minima into the signature; densifies empty bins for <see cref="MinHashScheme.OptimalDensification"/>.</summary>
    internal void Finish(ReadOnlySpan<ulong> mins, Span<uint> signature)
    {
        if (Scheme == MinHashScheme.KIndependent)
        {
            // Top 32 of the 61 bits: monotone, so it is still the minimum of the truncated values.
            for (int i = 0; i < mins.Length && i < signature.Length; i++)
                signature[i] = mins[i] == EmptyBin ? uint.MaxValue : (uint)(mins[i] >> 29);
            return;
        }
        int filled = 0;
        for (int i = 0; i < mins.Length && i < signature.Length; i++)
        {
            ulong v = mins[i];
            // Round r and 32-bit value u folded to 32 bits; round 0 keeps u itself. Distinct (r, u) in one bin
            // collide with probability 2^-32.
            signature[i] = v == EmptyBin ? uint.MaxValue : (uint)v + (uint)(v >> 32) * 0x9E3779B9u;
            filled += v == EmptyBin ? 0 : 1;
        }
        if (Scheme != MinHashScheme.OptimalDensification || filled == 0 || filled == _k) return;
        OnePermutationHashing.Densify(mins, EmptyBin, signature, _densifyKey);
    }

    private static ulong MaxOf(ReadOnlySpan<ulong> values)
    {
        int i = 0;
        ulong max = 0;
        ref ulong r = ref MemoryMarshal.GetReference(values);
        if (Vector256.IsHardwareAccelerated && values.Length >= 4)
        {
            var acc = Vector256<ulong>.Zero;
            for (; i + 4 <= values.Length; i += 4) acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref r, (nuint)i));
            for (int j = 0; j < 4; j++) max = Math.Max(max, acc[j]);
        }
        for (; i < values.Length; i++) max = Math.Max(max, Unsafe.Add(ref r, i));
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bin(ulong mixed, int k) => OnePermutationHashing.Bin(mixed, k);

    /// <summary>A fresh hash of an already mixed element for round r (Weyl step plus one xorshift-multiply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RoundHash(ulong x, int r)
    {
        ulong z = x + (ulong)r * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 32)) * 0xD6E8FEB86659FD93UL;
        return z ^ (z >> 32);
    }

    /// <summary>(a * x + b) mod (2^61 - 1) for a, x, b &lt; 2^61 - 1, exact (128-bit product; datasketch's 64-bit version overflows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAddMod(ulong a, ulong x, ulong b)
    {
        ulong hi = Math.BigMul(a, x, out ulong lo);
        ulong sum = (lo & MersennePrime) + ((lo >> 61) | (hi << 3)) + b; // < 3 * 2^61, no overflow
        ulong r = (sum & MersennePrime) + (sum >> 61);
        return r >= MersennePrime ? r - MersennePrime : r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ReduceMersenne(ulong x)
    {
        ulong r = (x & MersennePrime) + (x >> 61);
        return r >= MersennePrime ? r - MersennePrime : r;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private void ThrowSignatureLength(string parameter, int length) =>
        TextGuard.Argument(parameter, $"has length {length} but this hasher's HashCount is {_k}.");
}
