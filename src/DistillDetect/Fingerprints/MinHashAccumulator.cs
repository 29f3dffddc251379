using DistillDetect.Serialization;
using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

/// <summary>
/// The streaming, mergeable form of a MinHash: add element hashes over time (from any number of sources),
/// merge accumulators from other instances, read the signature at any point. The signature always equals
/// <see cref="MinHasher.ComputeFromHashes"/> of every element added (to this accumulator or to those merged in),
/// whatever the order. Memory: 4 k bytes plus k / 8 bytes.
/// </summary>
/// <remarks>Thread safety: not thread-safe; synchronize writers, or keep one accumulator per thread and merge.</remarks>
public sealed class MinHashAccumulator
{
    private const string Magic = "MHAC";
    private const ushort FormatVersion = 1;
    private const string What = "MinHash accumulator";

    private readonly MinHasher _hasher;
    private readonly uint[] _mins;
    private readonly ulong[] _mask;

    /// <summary>Creates an empty accumulator for signatures of <paramref name="hasher"/>. O(k).</summary>
    /// <param name="hasher">Defines k, the scheme and the seed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hasher"/> is null.</exception>
    public MinHashAccumulator(MinHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hasher = hasher;
        _mins = new uint[hasher.HashCount];
        _mask = new ulong[hasher.MaskLength];
        MinHasher.Begin(_mins, _mask);
    }

    /// <summary>The hasher whose signatures this accumulator produces.</summary>
    public MinHasher Hasher => _hasher;

    /// <summary>True while no element has been added or merged in.</summary>
    public bool IsEmpty
    {
        get
        {
            foreach (ulong word in _mask)
                if (word != 0) return false;
            return true;
        }
    }

    /// <summary>Adds one element. O(1) for the default scheme, O(k) for k-independent; no allocation.</summary>
    /// <param name="elementHash">Any 64-bit value identifying the element.</param>
    public void Add(ulong elementHash) => _hasher.AddRange(new ReadOnlySpan<ulong>(in elementHash), _mins, _mask);

    /// <summary>Adds elements (duplicates do not matter). O(n) for the default scheme, O(n k) for k-independent.</summary>
    /// <param name="elementHashes">The elements.</param>
    public void Add(ReadOnlySpan<ulong> elementHashes) => _hasher.AddRange(elementHashes, _mins, _mask);

    /// <summary>Makes this accumulator the one of the union of both element sets. O(k).</summary>
    /// <param name="other">An accumulator with the same hash count, scheme and seed (it is not modified).</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The parameters differ.</exception>
    public void Merge(MinHashAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._hasher.HashCount != _hasher.HashCount || other._hasher.Scheme != _hasher.Scheme || other._hasher.Seed != _hasher.Seed)
            TextGuard.Argument(nameof(other), $"was built with HashCount {other._hasher.HashCount}, scheme {other._hasher.Scheme}, seed {other._hasher.Seed} but this accumulator has {_hasher.HashCount}, {_hasher.Scheme}, {_hasher.Seed}.");
        for (int i = 0; i < _mins.Length; i++) _mins[i] = Math.Min(_mins[i], other._mins[i]);
        for (int i = 0; i < _mask.Length; i++) _mask[i] |= other._mask[i];
    }

    /// <summary>Writes the signature of everything added so far. O(k) (plus densification of empty bins).</summary>
    /// <param name="signature">Length must equal the hasher's <see cref="MinHasher.HashCount"/>.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public void GetSignature(Span<uint> signature)
    {
        if (signature.Length != _mins.Length)
            TextGuard.Argument(nameof(signature), $"has length {signature.Length} but the hash count is {_mins.Length}.");
        _mins.CopyTo(signature);
        _hasher.Finish(signature, _mask);
    }

    /// <summary>
    /// Serializes the accumulator (versioned envelope with CRC-32: hash count, scheme, seed, emptiness mask,
    /// minima). O(k).
    /// </summary>
    /// <returns>A new byte array.</returns>
    public byte[] ToBytes()
    {
        var w = new StateWriter(Magic, FormatVersion);
        w.WriteInt32(_hasher.HashCount);
        w.WriteByte((byte)_hasher.Scheme);
        w.WriteInt64(_hasher.Seed);
        w.WriteUInt64s(_mask);
        w.WriteUInt32s(_mins);
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
        ulong[] mask = r.ReadUInt64s(hasher.MaskLength);
        uint[] mins = r.ReadUInt32s(hasher.HashCount);
        r.EnsureEnd();
        if (mask.Length != hasher.MaskLength || mins.Length != hasher.HashCount)
            TextGuard.InvalidData($"{What}: array lengths {mask.Length} and {mins.Length} do not match the hash count {hasher.HashCount}.");
        var result = new MinHashAccumulator(hasher);
        if (hasher.Scheme == MinHashScheme.OnePermutation)
        {
            int k = hasher.HashCount;
            for (int i = 0; i < k; i++)
                if ((mask[i >> 6] & (1UL << i)) == 0 && mins[i] != uint.MaxValue)
                    TextGuard.InvalidData($"{What}: bin {i} is marked empty but holds a value; the state is inconsistent.");
            if ((k & 63) != 0 && (mask[^1] >> (k & 63)) != 0)
                TextGuard.InvalidData($"{What}: the emptiness mask has bits beyond the hash count; the state is inconsistent.");
        }
        else
        {
            if (mask[0] > 1)
                TextGuard.InvalidData($"{What}: invalid emptiness flag {mask[0]}.");
            if (mask[0] == 0)
                foreach (uint v in mins)
                    if (v != uint.MaxValue) TextGuard.InvalidData($"{What}: marked empty but holds values; the state is inconsistent.");
        }
        mask.CopyTo(result._mask, 0);
        mins.CopyTo(result._mins, 0);
        return result;
    }
}
