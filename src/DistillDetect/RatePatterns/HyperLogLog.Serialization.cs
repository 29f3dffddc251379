using System.IO.Hashing;
using DistillDetect.Serialization;

namespace DistillDetect.RatePatterns;

public sealed partial class HyperLogLog
{
    private const string Magic = "HLLS";
    private const ushort FormatVersion = 1;
    private const string What = "HyperLogLog";

    /// <summary>
    /// Serializes the sketch in the library's envelope (magic "HLLS", version 1, CRC-32): precision, a 16-bit
    /// check of the seed (as Apache DataSketches does: not the seed itself, which must stay secret) and the registers. O(m).
    /// </summary>
    /// <returns>A new array of about <c>m + 30</c> bytes.</returns>
    public byte[] ToBytes() => SerializeRegisters(_registers, _precision, _seed);

    /// <summary>The bytes <see cref="ToBytes()"/> writes for a sketch with these registers, precision and seed.</summary>
    internal static byte[] SerializeRegisters(ReadOnlySpan<byte> registers, int precision, long seed)
    {
        var writer = new StateWriter(Magic, FormatVersion);
        writer.WriteByte((byte)precision);
        writer.WriteUInt32(SeedCheck(seed));
        writer.WriteBytes(registers);
        return writer.ToArray();
    }

    /// <summary>Reads a sketch written by <see cref="ToBytes"/> for the default seed 0. O(m).</summary>
    /// <param name="data">The serialized sketch.</param>
    /// <returns>A new sketch equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, of another type or version, or of another seed.</exception>
    public static HyperLogLog FromBytes(ReadOnlySpan<byte> data) => FromBytes(data, 0);

    /// <summary>Reads a sketch written by <see cref="ToBytes"/> and checks it was built with <paramref name="seed"/>. O(m).</summary>
    /// <param name="data">The serialized sketch.</param>
    /// <param name="seed">The seed the sketch was created with.</param>
    /// <returns>A new sketch equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, of another type or version, or of another seed.</exception>
    public static HyperLogLog FromBytes(ReadOnlySpan<byte> data, long seed)
    {
        var reader = new StateReader(data, Magic, FormatVersion, What);
        int precision = reader.ReadByte();
        if (precision is < MinPrecision or > MaxPrecision)
            throw new InvalidDataException($"{What}: precision {precision} is outside {MinPrecision} to {MaxPrecision}.");
        if (reader.ReadUInt32() != SeedCheck(seed))
            throw new InvalidDataException($"{What}: the state was built with a different hash seed.");
        byte[] registers = reader.ReadBytes(1 << precision);
        if (registers.Length != 1 << precision)
            throw new InvalidDataException($"{What}: {registers.Length} registers present, {1 << precision} expected for precision {precision}.");
        int maxRank = 64 - precision + 1;
        foreach (byte r in registers)
        {
            if (r > maxRank)
                throw new InvalidDataException($"{What}: register value {r} exceeds the largest possible rank {maxRank}.");
        }
        reader.EnsureEnd();
        return new HyperLogLog(precision, seed, registers);
    }

    // 16 bits catch a wrong seed (1 in 65,536 slips through) yet leave 2^48 candidate seeds: the XxHash3 of
    // eight bytes is invertible, so storing more of it would reveal the seed.
    private static uint SeedCheck(long seed) => (uint)(XxHash3.HashToUInt64(BitConverter.GetBytes(seed), 0x5EED) >> 48);
}
