using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace DistillDetect.Serialization;

/// <summary>
/// Reads the envelope written by <see cref="StateWriter"/>. The constructor checks magic, version,
/// length and checksum before any field is read, so a corrupt state is rejected whole, never half-loaded.
/// Every read is bounds-checked and throws <see cref="InvalidDataException"/> naming what is wrong.
/// </summary>
internal ref struct StateReader
{
    internal const int HeaderLength = 10;

    private readonly ReadOnlySpan<byte> _payload;
    private readonly string _what;
    private int _position;

    public StateReader(ReadOnlySpan<byte> data, string magic, ushort supportedVersion, string what)
    {
        _what = what;
        if (data.Length < HeaderLength + 4)
            throw new InvalidDataException($"{what}: the serialized state is truncated ({data.Length} bytes; at least {HeaderLength + 4} expected).");
        Span<byte> expectedMagic = stackalloc byte[4];
        Encoding.ASCII.GetBytes(magic, expectedMagic);
        if (!data[..4].SequenceEqual(expectedMagic))
            throw new InvalidDataException($"{what}: wrong magic '{Printable(data[..4])}' (expected '{magic}'); this is not a serialized {what}.");
        uint expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        uint actualCrc = Crc32.HashToUInt32(data[..^4]);
        if (expectedCrc != actualCrc)
            throw new InvalidDataException($"{what}: checksum mismatch (stored 0x{expectedCrc:X8}, computed 0x{actualCrc:X8}); the state is corrupt.");
        Version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (Version == 0 || Version > supportedVersion)
            throw new InvalidDataException($"{what}: format version {Version} is not supported (this library reads versions 1 to {supportedVersion}).");
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[6..]);
        if (length < 0 || length != data.Length - HeaderLength - 4)
            throw new InvalidDataException($"{what}: payload length {length} does not match the {data.Length - HeaderLength - 4} bytes present.");
        _payload = data.Slice(HeaderLength, length);
        _position = 0;
    }

    /// <summary>The format version found in the header.</summary>
    public ushort Version { get; }

    public readonly bool AtEnd => _position == _payload.Length;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _payload.Length - _position)
            throw new InvalidDataException($"{_what}: the payload ends early (wanted {count} bytes at offset {_position} of {_payload.Length}).");
        ReadOnlySpan<byte> span = _payload.Slice(_position, count);
        _position += count;
        return span;
    }

    public byte ReadByte() => Take(1)[0];
    public bool ReadBool() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var b => throw new InvalidDataException($"{_what}: invalid boolean byte {b} at offset {_position - 1}."),
    };
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads a length prefix and checks it against the bytes left and a caller's limit.</summary>
    public int ReadLength(int elementSize, int maxCount, string field)
    {
        int count = ReadInt32();
        if (count < 0 || count > maxCount || (long)count * elementSize > _payload.Length - _position)
            throw new InvalidDataException($"{_what}: field '{field}' has an invalid length {count}.");
        return count;
    }

    public string ReadString(int maxBytes = 1 << 24)
    {
        int length = ReadLength(1, maxBytes, "string");
        return Encoding.UTF8.GetString(Take(length));
    }

    public byte[] ReadBytes(int maxBytes = int.MaxValue) => Take(ReadLength(1, maxBytes, "bytes")).ToArray();

    public uint[] ReadUInt32s(int maxCount = int.MaxValue)
    {
        var values = new uint[ReadLength(4, maxCount, "uint32 array")];
        for (int i = 0; i < values.Length; i++) values[i] = ReadUInt32();
        return values;
    }

    public ulong[] ReadUInt64s(int maxCount = int.MaxValue)
    {
        var values = new ulong[ReadLength(8, maxCount, "uint64 array")];
        for (int i = 0; i < values.Length; i++) values[i] = ReadUInt64();
        return values;
    }

    public double[] ReadDoubles(int maxCount = int.MaxValue)
    {
        var values = new double[ReadLength(8, maxCount, "double array")];
        for (int i = 0; i < values.Length; i++) values[i] = ReadDouble();
        return values;
    }

    /// <summary>Throws when a parameter stored in the state differs from the one the caller expects.</summary>
    public readonly void Expect<T>(T stored, T expected, string parameter) where T : IEquatable<T>
    {
        if (!stored.Equals(expected))
            throw new InvalidDataException($"{_what}: parameter '{parameter}' is {stored} in the state but {expected} here; states with different parameters cannot be combined.");
    }

    /// <summary>Call after the last field: trailing bytes mean a mismatched or corrupt state.</summary>
    public readonly void EnsureEnd()
    {
        if (!AtEnd)
            throw new InvalidDataException($"{_what}: {_payload.Length - _position} unexpected bytes after the last field.");
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) sb.Append(b is >= 32 and < 127 ? (char)b : '?');
        return sb.ToString();
    }
}
