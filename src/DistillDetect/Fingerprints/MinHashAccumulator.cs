using DistillDetect.Serialization;
using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

/// <summary>
/// The streaming, mergeable form of a MinHash: add element hashes over time (from any number of sources),
/// merge accumulators from other instances, read the signature at any point. The signature always equals
/// <see cref="MinHasher.ComputeFromHashes"/> of every element added (to this accumulator or to those merged in),
/// whatever the order. Memory: 8 k bytes (k 64-bit minima).
/// </summary>
/// <remarks>Thread safety: not thread-safe; synchronize writers, or keep one accumulator per thread and merge.</remarks>
public sealed class MinHashAccumulator
{
    private const string Magic = "MHAC";
    private const ushort FormatVersion = 1;
    private const string What = "MinHash accumulator";

    private readonly MinHasher _hasher;
    private readonly ulong[] _mins;

    /// <summary>Creates an empty accumulator for signatures of <paramref name="hasher"/>. O(k).</summary>
    /// <param name="hasher">Defines k, the scheme and the seed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hasher"/> is null.</exception>
    public MinHashAccumulator(MinHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hasher = hasher;
        _mins = new ulong[hasher.HashCount];
        _mins.AsSpan().Fill(MinHasher.EmptyBin);
    }

    /// <summary>The hasher whose signatures this accumulator produces.</summary>
    public MinHasher Hasher => _hasher;

    /// <summary>True while no element has been added or merged in. O(k).</summary>
    public bool IsEmpty => !_mins.AsSpan().ContainsAnyExcept(MinHasher.EmptyBin);

    /// <summary>
    /// Adds one element; no allocation. O(1) for the default scheme once every bin is filled (about k ln k
    /// elements), up to O(k) while bins are still empty; O(k) for the other schemes.
    /// </summary>
    /// <param name="elementHash">Any 64-bit value identifying the element.</param>
    public void Add(ulong elementHash) => _hasher.Add(new ReadOnlySpan<ulong>(in elementHash), _mins);

    /// <summary>
    /// Adds elements (duplicates do not matter); adding a batch is cheaper than adding its elements one by one
    /// while bins are still empty. O(n) for the default scheme plus a few passes for small sets, O(n k) for k-independent.
    /// </summary>
    /// <param name="elementHashes">The elements.</param>
    public void Add(ReadOnlySpan<ulong> elementHashes) => _hasher.Add(elementHashes, _mins);

    /// <summary>Makes this accumulator the one of the union of both element sets. O(k).</summary>
    /// <param name="other">An accumulator with the same hash count, scheme and seed (it is not modified).</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The parameters differ.</exception>
    public void Merge(MinHashAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._hasher.HashCount != _hasher.HashCount || other._hasher.Scheme != _hasher.Scheme || other._hasher.Seed != _hasher.Seed)
            TextGuard.Argument(nameof(other), $"was built with HashCount {other._hasher.HashCount}, scheme {other._hasher.Scheme}, seed {other._hasher.Seed} but this accumulator has {_hasher.HashCount}, {_hasher.Scheme}, {_hasher.Seed}.");
        // Every bin holds the minimum over its set's elements (all rounds), so the union's bin is the smaller one.
        OnePermutationHashing.MergeMinima<ulong>(_mins, other._mins);
    }

    /// <summary>Writes the signature of everything added so far. O(k).</summary>
    /// <param name="signature">Length must equal the hasher's <see cref="MinHasher.HashCount"/>.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public void GetSignature(Span<uint> signature)
    {
        if (signature.Length != _mins.Length)
            TextGuard.Argument(nameof(signature), $"has length {signature.Length} but the hash count is {_mins.Length}.");
        _hasher.Finish(_mins, signature);
    }

    /// <summary>
    /// Serializes the accumulator (versioned envelope with CRC-32: hash count, scheme, seed, the k internal
    /// 64-bit minima). About 8 k + 35 bytes. O(k).
    /// </summary>
    /// <returns>A new byte array.</returns>
    public byte[] ToBytes()
    {
        var w = new StateWriter(Magic, FormatVersion);
        w.WriteInt32(_hasher.HashCount);
        w.WriteByte((byte)_hasher.Scheme);
        w.WriteInt64(_hasher.Seed);
        w.WriteUInt64s(_mins);
        return w.ToArray();
    }

    /// <summary>Reads an accumulator written by <see cref="ToBytes"/>. O(k).</summary>
    /// <param name="data">The serialized state.</param>
    /// <param name="hasher">The hasher it must belong to (same hash count, scheme and seed).</param>
    /// <returns>The accumulator.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated, of another format or version,
    /// internally inconsistent, or was written for different parameters (the message says which).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="hasher"/> is null.</exception>
    public static MinHashAccumulator FromBytes(ReadOnlySpan<byte> data, MinHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var r = new StateReader(data, Magic, FormatVersion, What);
        r.Expect(r.ReadInt32(), hasher.HashCount, "HashCount");
        r.Expect((int)r.ReadByte(), (int)hasher.Scheme, "Scheme");
        r.Expect(r.ReadInt64(), hasher.Seed, "Seed");
        ulong[] mins = r.ReadUInt64s(hasher.HashCount);
        r.EnsureEnd();
        if (mins.Length != hasher.HashCount)
            TextGuard.InvalidData($"{What}: {mins.Length} minima stored but the hash count is {hasher.HashCount}.");
        int empty = 0;
        ulong limit = hasher.Scheme switch
        {
            MinHashScheme.KIndependent => MinHasher.MersennePrime,
            MinHashScheme.OptimalDensification => 1UL << 32,
            _ => (ulong)(2 * hasher.HashCount) << 32,
        };
        foreach (ulong v in mins)
        {
            if (v == MinHasher.EmptyBin) empty++;
            else if (v >= limit) TextGuard.InvalidData($"{What}: minimum 0x{v:X16} is out of range for scheme {hasher.Scheme}; the state is inconsistent.");
        }
        // Only one-permutation hashing with borrowing densification leaves some bins empty in a non-empty set.
        if (empty != 0 && empty != mins.Length && hasher.Scheme != MinHashScheme.OptimalDensification)
            TextGuard.InvalidData($"{What}: {empty} of {mins.Length} bins are empty, which no set produces with scheme {hasher.Scheme}; the state is inconsistent.");
        var result = new MinHashAccumulator(hasher);
        mins.CopyTo(result._mins, 0);
        return result;
    }
}
