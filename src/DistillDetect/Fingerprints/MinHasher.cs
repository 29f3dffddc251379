using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    private const int StackChars = 2048;

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

    /// <summary>Length of the emptiness mask an accumulator keeps: one bit per bin, or one flag word for k-independent.</summary>
    internal int MaskLength => Scheme == MinHashScheme.OnePermutation ? (_k + 63) >> 6 : 1;

    /// <summary>
    /// Signature of a prompt: normalize (<see cref="Options"/>.Normalization), hash word shingles
    /// (<see cref="Options"/>.ShingleSize, <see cref="Options"/>.Seed), sign. O(n + k) for the default scheme,
    /// O(n * k) for k-independent. No allocation for prompts up to 2,048 chars (larger ones rent from
    /// <see cref="ArrayPool{T}"/>).
    /// </summary>
    /// <param name="prompt">The prompt, any UTF-16.</param>
    /// <param name="signature">Receives the k values; length must equal <see cref="HashCount"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="signature"/> length differs from <see cref="HashCount"/>.</exception>
    [SkipLocalsInit]
    public void Compute(ReadOnlySpan<char> prompt, Span<uint> signature)
    {
        if (signature.Length != _k) ThrowSignatureLength(nameof(signature), signature.Length);
        char[]? rented = null;
        Span<char> buffer = prompt.Length <= StackChars - 16
            ? stackalloc char[StackChars]
            : (rented = ArrayPool<char>.Shared.Rent(prompt.Length + 16));
        int length = NormalizerCore.TryNormalize(prompt, buffer, _normalization);
        if (length < 0)
        {
            // Expansions (ligatures, Roman numerals, ...) made the text longer than the first buffer.
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
            rented = ArrayPool<char>.Shared.Rent(PromptNormalizer.GetMaxNormalizedLength(prompt.Length));
            buffer = rented;
            length = NormalizerCore.TryNormalize(prompt, buffer, _normalization);
        }
        Span<ulong> mask = stackalloc ulong[MaskLength];
        Begin(signature, mask);
        if (Scheme == MinHashScheme.OnePermutation)
        {
            var sink = new OnePermutationSink(this, signature, mask);
            Shingler.ForEachWordShingle(buffer[..length], _shingleSize, _seed, ref sink);
        }
        else
        {
            var sink = new KIndependentSink(this, signature, mask);
            Shingler.ForEachWordShingle(buffer[..length], _shingleSize, _seed, ref sink);
        }
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        Finish(signature, mask);
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
    /// do not matter. O(n + k) for the default scheme, O(n * k) for k-independent; no allocation.
    /// </summary>
    /// <param name="elementHashes">The set's elements (any 64-bit values; they are mixed with the seed).</param>
    /// <param name="signature">Receives the k values; length must equal <see cref="HashCount"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="signature"/> length differs from <see cref="HashCount"/>.</exception>
    [SkipLocalsInit]
    public void ComputeFromHashes(ReadOnlySpan<ulong> elementHashes, Span<uint> signature)
    {
        if (signature.Length != _k) ThrowSignatureLength(nameof(signature), signature.Length);
        Span<ulong> mask = stackalloc ulong[MaskLength];
        Begin(signature, mask);
        AddRange(elementHashes, signature, mask);
        Finish(signature, mask);
    }

    internal static void Begin(Span<uint> mins, Span<ulong> mask)
    {
        mins.Fill(uint.MaxValue);
        mask.Clear();
    }

    internal void AddRange(ReadOnlySpan<ulong> elementHashes, Span<uint> mins, Span<ulong> mask)
    {
        if (Scheme == MinHashScheme.OnePermutation)
        {
            var sink = new OnePermutationSink(this, mins, mask);
            foreach (ulong h in elementHashes) sink.Add(h);
        }
        else
        {
            var sink = new KIndependentSink(this, mins, mask);
            foreach (ulong h in elementHashes) sink.Add(h);
        }
    }

    /// <summary>Turns raw per-bin minima into the signature (in place): densifies empty bins for one-permutation hashing.</summary>
    internal void Finish(Span<uint> mins, ReadOnlySpan<ulong> mask)
    {
        if (Scheme != MinHashScheme.OnePermutation) return;
        int filled = 0;
        foreach (ulong word in mask) filled += System.Numerics.BitOperations.PopCount(word);
        if (filled == 0 || filled == _k) return;
        // Optimal densification (Shrivastava 2017): an empty bin i probes bins h(i, 1), h(i, 2), ... (the same
        // sequence for every set) and copies the first bin that was non-empty before densification.
        for (int i = 0; i < _k; i++)
        {
            if ((mask[i >> 6] & (1UL << i)) != 0) continue;
            for (uint attempt = 1; ; attempt++)
            {
                ulong probe = Shingler.Mix64(_densifyKey ^ ((ulong)(uint)i << 32 | attempt));
                int j = Bin(probe, _k);
                if ((mask[j >> 6] & (1UL << j)) != 0)
                {
                    mins[i] = mins[j];
                    break;
                }
            }
        }
    }

    /// <summary>Lemire's multiply-shift range reduction of the top 32 bits: unbiased enough and division-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bin(ulong mixed, int k) => (int)(((mixed >> 32) * (ulong)(uint)k) >> 32);

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

    /// <summary>One-permutation update: one mixed hash gives the bin (top 32 bits) and the value (low 32 bits).</summary>
    private ref struct OnePermutationSink(MinHasher hasher, Span<uint> mins, Span<ulong> mask) : IHashSink
    {
        private readonly ref uint _mins = ref MemoryMarshal.GetReference(mins);
        private readonly ref ulong _mask = ref MemoryMarshal.GetReference(mask);
        private readonly ulong _key = hasher._elementKey;
        private readonly int _k = hasher._k;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Add(ulong hash)
        {
            ulong x = Shingler.Mix64(hash ^ _key);
            int bin = Bin(x, _k); // < k by construction, so the unchecked writes below stay in bounds
            uint value = (uint)x;
            ref uint slot = ref Unsafe.Add(ref _mins, bin);
            uint current = slot;
            slot = value < current ? value : current;
            Unsafe.Add(ref _mask, bin >> 6) |= 1UL << bin;
        }
    }

    /// <summary>K-independent update: k exact Mersenne-prime permutations of the mixed element hash.</summary>
    private ref struct KIndependentSink(MinHasher hasher, Span<uint> mins, Span<ulong> mask) : IHashSink
    {
        private readonly Span<uint> _mins = mins;
        private readonly Span<ulong> _mask = mask;
        private readonly ulong[] _a = hasher._a;
        private readonly ulong[] _b = hasher._b;
        private readonly ulong _key = hasher._elementKey;

        public readonly void Add(ulong hash)
        {
            ulong x = ReduceMersenne(Shingler.Mix64(hash ^ _key));
            ulong[] a = _a;
            ulong[] b = _b;
            Span<uint> mins = _mins;
            for (int j = 0; j < mins.Length && j < a.Length && j < b.Length; j++)
            {
                uint value = (uint)(MulAddMod(a[j], x, b[j]) >> 29); // top 32 of the 61 bits
                uint current = mins[j];
                mins[j] = value < current ? value : current;
            }
            _mask[0] = 1;
        }
    }
}
