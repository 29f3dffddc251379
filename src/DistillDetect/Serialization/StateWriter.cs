using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace DistillDetect.Serialization;

/// <summary>
/// Writes the common binary envelope of every serialized state:
/// magic (4 ASCII bytes naming the family), format version (uint16), payload length (int32),
/// payload, CRC-32 of everything before it (System.IO.Hashing). Little-endian throughout.
/// </summary>
internal sealed class StateWriter
{
    private readonly ArrayBufferWriterLite _buffer = new();
    private readonly string _magic;
    private readonly ushort _version;

    public StateWriter(string magic, ushort version)
    {
        if (magic.Length != 4) throw new ArgumentException("Magic must be four ASCII characters.", nameof(magic));
        _magic = magic;
        _version = version;
    }

    public void WriteByte(byte value) => _buffer.Span(1)[0] = value;
    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.Span(4), value);
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.Span(4), value);
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(_buffer.Span(8), value);
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_buffer.Span(8), value);
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(_buffer.Span(8), value);

    public void WriteString(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteInt32(byteCount);
        Encoding.UTF8.GetBytes(value, _buffer.Span(byteCount));
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        value.CopyTo(_buffer.Span(value.Length));
    }

    public void WriteUInt32s(ReadOnlySpan<uint> values)
    {
        WriteInt32(values.Length);
        foreach (uint v in values) WriteUInt32(v);
    }

    public void WriteUInt64s(ReadOnlySpan<ulong> values)
    {
        WriteInt32(values.Length);
        foreach (ulong v in values) WriteUInt64(v);
    }

    public void WriteDoubles(ReadOnlySpan<double> values)
    {
        WriteInt32(values.Length);
        foreach (double v in values) WriteDouble(v);
    }

    /// <summary>Returns the complete envelope: header, payload and checksum.</summary>
    public byte[] ToArray()
    {
        ReadOnlySpan<byte> payload = _buffer.Written;
        var result = new byte[StateReader.HeaderLength + payload.Length + 4];
        Encoding.ASCII.GetBytes(_magic, result.AsSpan(0, 4));
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(4), _version);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(6), payload.Length);
        payload.CopyTo(result.AsSpan(StateReader.HeaderLength));
        uint crc = Crc32.HashToUInt32(result.AsSpan(0, result.Length - 4));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(result.Length - 4), crc);
        return result;
    }

    private sealed class ArrayBufferWriterLite
    {
        private byte[] _array = new byte[256];
        private int _count;

        public ReadOnlySpan<byte> Written => _array.AsSpan(0, _count);

        public Span<byte> Span(int length)
        {
            if (_count + length > _array.Length)
            {
                Array.Resize(ref _array, Math.Max(_array.Length * 2, _count + length));
            }
            Span<byte> span = _array.AsSpan(_count, length);
            _count += length;
            return span;
        }
    }
}
