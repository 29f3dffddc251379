using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
        _elementKey = SplitMix.Next(ref state);
        _densifyKey = SplitMix.Next(ref state);
        if (Scheme == MinHashScheme.KIndependent)
        {
            _a = new ulong[_k];
            _b = new ulong[_k];
            for (int j = 0; j < _k; j++)
            {
                _a[j] = 1 + SplitMix.Next(ref state) % (MersennePrime - 1); // a in [1, p-1]: a permutation of [0, p)
                _b[j] = SplitMix.Next(ref state) % MersennePrime;
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
    public void Compute(ReadOnlySpan<char> prompt, Span<uint> signature) => Compute(prompt, signature, VectorPath.Auto);

    /// <summary><see cref="Compute(ReadOnlySpan{char}, Span{uint})"/> on a chosen path (tests check every path gives the same signature).</summary>
    [SkipLocalsInit]
    internal void Compute(ReadOnlySpan<char> prompt, Span<uint> signature, VectorPath path)
    {
        if (signature.Length != _k) ThrowSignatureLength(nameof(signature), signature.Length);
        path = WordHasher.Resolve(path);
        char[]? rentedChars = null;
        Span<char> buffer = prompt.Length <= StackChars - 16
            ? stackalloc char[StackChars]
            : (rentedChars = ArrayPool<char>.Shared.Rent(prompt.Length + 16));
        int length = NormalizerCore.TryNormalize(prompt, buffer, _normalization, ToNormalizerPath(path));
        if (length < 0)
        {
            // Expansions (ligatures, Roman numerals, ...) made the text longer than the first buffer.
            if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
            rentedChars = ArrayPool<char>.Shared.Rent(PromptNormalizer.GetMaxNormalizedLength(prompt.Length));
            buffer = rentedChars;
            length = NormalizerCore.TryNormalize(prompt, buffer, _normalization, ToNormalizerPath(path));
        }
        int maxShingles = Shingler.GetMaxWordShingleCount(length);
        ulong[]? rentedHashes = null;
        Span<ulong> hashes = maxShingles <= StackShingles
            ? stackalloc ulong[StackShingles]
            : (rentedHashes = ArrayPool<ulong>.Shared.Rent(maxShingles));
        // The buffer is ours: the element mixing runs in the shingle combination pass, once per element.
        int count = Shingler.HashWordShinglesCore(buffer[..length], _shingleSize, _seed, hashes, path, mix: true, _elementKey);
        if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
        Span<ulong> mins = stackalloc ulong[_k];
        mins.Fill(EmptyBin);
        Add(hashes[..count], mins, premixed: true, path);
        Finish(mins, signature);
        if (rentedHashes is not null) ArrayPool<ulong>.Shared.Return(rentedHashes);
    }

    private static NormalizerPath ToNormalizerPath(VectorPath path) => path switch
    {
        VectorPath.Scalar => NormalizerPath.Scalar,
        VectorPath.Vector256 => NormalizerPath.Vector256,
        VectorPath.Vector512 => NormalizerPath.Vector512,
        _ => NormalizerPath.Auto,
    };

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
    internal void Add(ReadOnlySpan<ulong> elementHashes, Span<ulong> mins, bool premixed = false, VectorPath path = VectorPath.Auto)
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
            ref ulong slot = ref Unsafe.Add(ref m, Bin(x, k)); // Bin < k by construction
            slot = MinBranchFree((uint)x, slot); // round 0
        }
        if (Scheme == MinHashScheme.OnePermutation) FillRounds(elementHashes, mins, premixed, WordHasher.Resolve(path));
    }

    /// <summary>
    /// Fast similarity sketching rounds (Dahlgaard, Knudsen and Thorup 2017): round r gives each element one
    /// more bin with a value in [r 2^32, (r+1) 2^32), so a later round can only change bins still empty after
    /// the earlier ones; stop as soon as r exceeds the largest round present. Rounds k..2k-1 sweep every bin
    /// from a per-element start, so every non-empty set fills all bins. Exact: the same minima as running all
    /// 2k rounds for every element, whatever order and batching the elements arrive in.
    /// </summary>
    private void FillRounds(ReadOnlySpan<ulong> elementHashes, Span<ulong> mins, bool premixed, VectorPath path)
    {
        ref ulong m = ref MemoryMarshal.GetReference(mins);
        ulong key = _elementKey;
        int k = _k;
        for (int r = 1; r < 2 * k; r++)
        {
            if ((ulong)r > (MaxOf(mins) >> 32)) return;
            int start = !premixed || r >= k ? 0
                : path == VectorPath.Vector512 && k <= 512 ? RoundVector512(elementHashes, mins, r, k)
                : path != VectorPath.Scalar ? RoundVector(elementHashes, mins, r, k) : 0;
            foreach (ulong h in elementHashes[start..])
            {
                ulong x = premixed ? h : Shingler.Mix64(h ^ key);
                ulong y = RoundHash(x, r);
                int bin = r < k ? Bin(y, k) : (Bin(RoundHash(x, k), k) + r - k) % k;
                ref ulong slot = ref Unsafe.Add(ref m, bin);
                slot = MinBranchFree((ulong)r << 32 | (uint)y, slot);
            }
        }
    }

    /// <summary>
    /// Round r (1 &lt;= r &lt; k) for 4 premixed elements at a time: round hashes and bins in vector lanes, the bins'
    /// current minima fetched with one vpgatherqq; only lanes that lower a bin (few once round 0 has filled most
    /// bins) take the scalar store. Returns how many leading elements it handled.
    /// </summary>
    private static unsafe int RoundVector(ReadOnlySpan<ulong> elements, Span<ulong> mins, int r, int k)
    {
        int i = 0;
        ref ulong src = ref MemoryMarshal.GetReference(elements);
        var weyl = Vector256.Create((ulong)r * 0x9E3779B97F4A7C15UL);
        var multiplier = Vector256.Create(0xD6E8FEB86659FD93UL);
        var binCount = Vector256.Create((ulong)(uint)k).AsUInt32();
        var roundBits = Vector256.Create((ulong)r << 32);
        var low32 = Vector256.Create(0xFFFF_FFFFUL);
        fixed (ulong* m = mins)
        {
            for (; i + 4 <= elements.Length; i += 4)
            {
                var z = Vector256.LoadUnsafe(ref src, (nuint)i) + weyl;
                z = (z ^ Vector256.ShiftRightLogical(z, 32)) * multiplier;
                var y = z ^ Vector256.ShiftRightLogical(z, 32);
                var bin = Vector256.ShiftRightLogical(Avx2.Multiply(Vector256.ShiftRightLogical(y, 32).AsUInt32(), binCount), 32);
                var value = roundBits | (y & low32);
                var lower = Vector256.LessThan(value, Avx2.GatherVector256(m, bin.AsInt64(), 8));
                if (lower == Vector256<ulong>.Zero) continue;
                // Lanes one at a time, re-reading the bin: two lanes may share it.
                uint lanes = lower.ExtractMostSignificantBits();
                while (lanes != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(lanes);
                    ulong* slot = m + (int)bin.GetElement(lane);
                    ulong v = value.GetElement(lane);
                    if (v < *slot) *slot = v;
                    lanes &= lanes - 1;
                }
            }
        }
        return i;
    }

    /// <summary>
    /// Round r (1 &lt;= r &lt; k &lt;= 512) for 8 premixed elements at a time, without memory lookups: only bins
    /// empty when the round starts can change in it (the others hold a value of an earlier round, below r 2^32),
    /// and a bitmap of those k bins fits one register; each lane picks its 64-bit word with vpermq and its bit
    /// with vpsrlvq. Lanes that hit an empty bin (a few per round) take the scalar min. Returns how many
    /// leading elements it handled.
    /// </summary>
    [SkipLocalsInit]
    private static int RoundVector512(ReadOnlySpan<ulong> elements, Span<ulong> mins, int r, int k)
    {
        ref ulong m = ref MemoryMarshal.GetReference(mins);
        Span<ulong> words = stackalloc ulong[8];
        words.Clear();
        int b = 0;
        for (; b + 8 <= k; b += 8)
            words[b >> 6] |= Vector512.Equals(Vector512.LoadUnsafe(ref m, (nuint)b), Vector512.Create(EmptyBin)).ExtractMostSignificantBits() << (b & 63);
        for (; b < k; b++) words[b >> 6] |= (Unsafe.Add(ref m, b) == EmptyBin ? 1UL : 0UL) << (b & 63);
        var empty = Vector512.Create<ulong>(words);
        // Hits are packed (bin << 32 | 32-bit value) with vpcompressq and applied after the loop: about half the
        // 8-lane blocks have a hit in round 1, so a branch on it mispredicted all the time.
        Span<ulong> hits = stackalloc ulong[HitBuffer + 8]; // a full-vector store may write 8 past the last hit
        ref ulong hit = ref MemoryMarshal.GetReference(hits);
        int i = 0;
        while (i + 8 <= elements.Length)
        {
            // Chunks of HitBuffer elements, so the buffer cannot overflow; the vector loop is a separate method
            // without calls, or the JIT reloads its constant vectors from the stack on every iteration.
            int length = Math.Min(elements.Length - i, HitBuffer) & ~7;
            int hitCount = CollectHits(elements.Slice(i, length), empty, r, k, ref hit);
            ApplyHits(hits[..hitCount], mins, r);
            i += length;
        }
        return i;
    }

    /// <summary>Round r for elements (a multiple of 8): packs (bin &lt;&lt; 32 | value) of every lane whose bin is set in <paramref name="empty"/> into <paramref name="hit"/>; returns their count.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CollectHits(ReadOnlySpan<ulong> elements, Vector512<ulong> empty, int r, int k, ref ulong hit)
    {
        ref ulong src = ref MemoryMarshal.GetReference(elements);
        var weyl = Vector512.Create((ulong)r * 0x9E3779B97F4A7C15UL);
        var multiplier = Vector512.Create(0xD6E8FEB86659FD93UL);
        var binCount = Vector512.Create((ulong)(uint)k).AsUInt32();
        int hitCount = 0;
        for (int i = 0; i + 8 <= elements.Length; i += 8)
        {
            var z = Vector512.LoadUnsafe(ref src, (nuint)i) + weyl;
            z = (z ^ Vector512.ShiftRightLogical(z, 32)) * multiplier;
            var y = z ^ Vector512.ShiftRightLogical(z, 32);
            var bin = Vector512.ShiftRightLogical(Avx512F.Multiply(Vector512.ShiftRightLogical(y, 32).AsUInt32(), binCount), 32);
            var word = Avx512F.PermuteVar8x64(empty, Vector512.ShiftRightLogical(bin, 6));
            var isHit = Vector512.Equals(Avx512F.ShiftRightLogicalVariable(word, bin & Vector512.Create(63UL)) & Vector512<ulong>.One, Vector512<ulong>.One);
            var packed = Vector512.ShiftLeft(bin, 32) | (y & Vector512.Create(0xFFFF_FFFFUL));
            Avx512F.Compress(Vector512<ulong>.Zero, isHit, packed).StoreUnsafe(ref hit, (nuint)hitCount);
            hitCount += BitOperations.PopCount(isHit.ExtractMostSignificantBits());
        }
        return hitCount;
    }

    private const int HitBuffer = 256;

    /// <summary>Lowers each hit's bin to its round-r value.</summary>
    private static void ApplyHits(ReadOnlySpan<ulong> hits, Span<ulong> mins, int r)
    {
        ref ulong m = ref MemoryMarshal.GetReference(mins);
        ulong round = (ulong)r << 32;
        foreach (ulong h in hits)
        {
            ref ulong slot = ref Unsafe.Add(ref m, (int)(h >> 32));
            slot = MinBranchFree(round | (uint)h, slot);
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
        int start = 0;
        if (Vector512.IsHardwareAccelerated && mins.Length == signature.Length)
        {
            // The same fold 8 bins at a time (vpmovqd narrows); empty bins counted from the compare mask.
            ref ulong m = ref MemoryMarshal.GetReference(mins);
            ref uint sig = ref MemoryMarshal.GetReference(signature);
            for (; start + 8 <= mins.Length; start += 8)
            {
                var v = Vector512.LoadUnsafe(ref m, (nuint)start);
                var empty = Vector512.Equals(v, Vector512.Create(EmptyBin));
                var folded = v + Vector512.ShiftRightLogical(v, 32) * Vector512.Create(0x9E3779B9UL);
                Vector512.Narrow(folded | empty, Vector512<ulong>.Zero).GetLower().StoreUnsafe(ref sig, (nuint)start);
                filled += 8 - BitOperations.PopCount(empty.ExtractMostSignificantBits());
            }
        }
        for (int i = start; i < mins.Length && i < signature.Length; i++)
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

    /// <summary>
    /// min(a, b) without a branch: the ternary compiled to a conditional jump that mispredicts on about half the
    /// round-0 updates; setb, negate, and, xor do not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MinBranchFree(ulong a, ulong b)
    {
        ulong aIsLess = (ulong)-(long)Unsafe.BitCast<bool, byte>(a < b);
        return b ^ ((a ^ b) & aIsLess);
    }

    /// <summary>Lemire's multiply-shift range reduction of the top 32 bits: division-free.</summary>
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

    private void ThrowSignatureLength(string parameter, int length) =>
        TextGuard.Argument(parameter, $"has length {length} but this hasher's HashCount is {_k}.");
}
