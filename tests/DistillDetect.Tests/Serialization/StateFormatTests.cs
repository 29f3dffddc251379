using DistillDetect.Serialization;

namespace DistillDetect.Tests.Serialization;

public class StateFormatTests
{
    private static byte[] Sample()
    {
        var w = new StateWriter("TEST", 1);
        w.WriteInt32(42);
        w.WriteString("héllo");
        w.WriteUInt32s([1u, 2u, 3u]);
        w.WriteDouble(Math.PI);
        return w.ToArray();
    }

    [Fact]
    public void RoundTrip_AllFields_ReadBackEqual()
    {
        byte[] data = Sample();
        var r = new StateReader(data, "TEST", 1, "test state");
        Assert.Equal(42, r.ReadInt32());
        Assert.Equal("héllo", r.ReadString());
        Assert.Equal([1u, 2u, 3u], r.ReadUInt32s());
        Assert.Equal(Math.PI, r.ReadDouble());
        r.EnsureEnd();
    }

    [Fact]
    public void Read_FlippedBit_ThrowsChecksumMismatch()
    {
        byte[] data = Sample();
        for (int i = 0; i < data.Length; i++)
        {
            byte[] copy = (byte[])data.Clone();
            copy[i] ^= 0x10;
            var ex = Assert.Throws<InvalidDataException>(() => new StateReader(copy, "TEST", 1, "test state"));
            Assert.Contains("test state", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_WrongMagicOrNewerVersionOrTruncated_ThrowsNamingTheProblem()
    {
        byte[] data = Sample();
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => new StateReader(data, "OTHR", 1, "x")).Message, StringComparison.Ordinal);
        byte[] v2 = new StateWriter("TEST", 2).ToArray();
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => new StateReader(v2, "TEST", 1, "x")).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => new StateReader(data.AsSpan(0, 5), "TEST", 1, "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PastEndOfPayload_Throws()
    {
        var w = new StateWriter("TEST", 1);
        w.WriteInt32(1_000_000); // a length prefix claiming far more than is present
        byte[] data = w.ToArray();
        Assert.Throws<InvalidDataException>(() =>
        {
            var r = new StateReader(data, "TEST", 1, "x");
            r.ReadUInt32s();
        });
    }
}
