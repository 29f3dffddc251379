using DistillDetect.Serialization;

namespace DistillDetect.Fingerprints;

public sealed partial class LshIndex
{
    private const string Magic = "LSHI";
    private const ushort FormatVersion = 1;
    private const string What = "LSH index";

    /// <summary>
    /// Serializes the index in the library's checksummed envelope (magic "LSHI", version 1): hash count, bands,
    /// rows per band, seed, maximum count, then each entry's id and band keys in slot order. The bytes contain the
    /// seed; keep them as private as the seed. About (8 + 4 × Bands) bytes per entry. O(Count × Bands); takes the
    /// writer mutex while copying, so it is safe to call concurrently with other members.
    /// </summary>
    /// <returns>A new array holding the serialized state.</returns>
    public byte[] ToBytes()
    {
        Snapshot(out long[] ids, out uint[] keys);
        var writer = new StateWriter(Magic, FormatVersion);
        writer.WriteInt32(_hashCount);
        writer.WriteInt32(_bands);
        writer.WriteInt32(_rows);
        writer.WriteInt64(_seed);
        writer.WriteInt32(_maxCount);
        writer.WriteInt32(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            writer.WriteInt64(ids[i]);
            for (int b = 0; b < _bands; b++) writer.WriteUInt32(keys[(i * _bands) + b]);
        }
        return writer.ToArray();
    }

    /// <summary>
    /// Rebuilds an index from <see cref="ToBytes"/> output. The whole input is checked (magic, version, checksum,
    /// parameter ranges, entry count against the bytes present and the maximum count, duplicate ids) before the
    /// index is returned, so a corrupt input is never half-loaded. O(Count × Bands).
    /// </summary>
    /// <param name="data">Serialized state.</param>
    /// <returns>A new index equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The input is corrupt, truncated, of another type or version, or
    /// inconsistent; the message names what is wrong.</exception>
    public static LshIndex FromBytes(ReadOnlySpan<byte> data) => Read(data, null);

    /// <summary>
    /// Rebuilds an index from <see cref="ToBytes"/> output and checks that it was built with the hash count,
    /// banding and seed this deployment uses, so a state from another configuration is rejected rather than
    /// silently returning no candidates. Otherwise as <see cref="FromBytes(ReadOnlySpan{byte})"/>.
    /// </summary>
    /// <param name="data">Serialized state.</param>
    /// <param name="hashCount">Expected signature length.</param>
    /// <param name="parameters">Expected banding.</param>
    /// <param name="seed">Expected band-hash seed.</param>
    /// <returns>A new index equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">As the other overload, or a stored parameter differs from the expected one
    /// (the message names the parameter and both values).</exception>
    public static LshIndex FromBytes(ReadOnlySpan<byte> data, int hashCount, LshParameters parameters, long seed) =>
        Read(data, (hashCount, parameters, seed));

    private static LshIndex Read(ReadOnlySpan<byte> data, (int HashCount, LshParameters Parameters, long Seed)? expected)
    {
        var reader = new StateReader(data, Magic, FormatVersion, What);
        int hashCount = reader.ReadInt32();
        int bands = reader.ReadInt32();
        int rows = reader.ReadInt32();
        long seed = reader.ReadInt64();
        int maxCount = reader.ReadInt32();
        if (expected is { } e)
        {
            reader.Expect(hashCount, e.HashCount, "hash count");
            reader.Expect(bands, e.Parameters.Bands, "bands");
            reader.Expect(rows, e.Parameters.RowsPerBand, "rows per band");
            reader.Expect(seed, e.Seed, "seed");
        }
        if (hashCount is < 1 or > LshParameters.MaxHashCount)
            throw new InvalidDataException($"{What}: hash count {hashCount} is outside 1..{LshParameters.MaxHashCount}.");
        if (bands < 1 || rows < 1 || (long)bands * rows > hashCount)
            throw new InvalidDataException($"{What}: banding {bands}x{rows} is invalid for {hashCount} hashes.");
        if (maxCount is < 1 or > MaxCapacity)
            throw new InvalidDataException($"{What}: maximum count {maxCount} is outside 1..{MaxCapacity}.");
        int count = reader.ReadLength(sizeof(long) + (bands * sizeof(uint)), maxCount, "entries");

        var index = new LshIndex(hashCount, new LshParameters(bands, rows), seed, maxCount);
        var keys = new uint[bands];
        lock (index._writeLock)
        {
            for (int i = 0; i < count; i++)
            {
                long id = reader.ReadInt64();
                for (int b = 0; b < bands; b++) keys[b] = reader.ReadUInt32();
                if (!index.InsertKeysLocked(id, keys))
                    throw new InvalidDataException($"{What}: id {id} appears twice among the entries.");
            }
        }
        reader.EnsureEnd();
        return index;
    }
}
