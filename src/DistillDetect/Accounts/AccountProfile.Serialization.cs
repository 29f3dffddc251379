using System.IO.Hashing;
using System.Runtime.InteropServices;
using DistillDetect.RatePatterns;
using DistillDetect.Serialization;

namespace DistillDetect.Accounts;

public sealed partial class AccountProfile
{
    private const string Magic = "ACPF";
    private const ushort FormatVersion = 1;
    private const string What = "AccountProfile";

    /// <summary>
    /// Serializes the profile in the library's envelope (magic "ACPF", version 1, CRC-32): the parameters
    /// (with a 16-bit check of the seed, never the seed itself), counters, sketches and the nested timing
    /// states. O(size of the profile); about <see cref="ApproximateMemoryBytes"/> or less with the defaults.
    /// </summary>
    /// <returns>A new array.</returns>
    public byte[] ToBytes()
    {
        var w = new StateWriter(Magic, FormatVersion);
        AccountProfileOptions options = _layout.Options;
        w.WriteInt32(options.TemplateHashCount);
        w.WriteInt32(options.UsageHashCount);
        w.WriteInt32(options.UsageCounterWidth);
        w.WriteInt32(options.SynchronizationHashCount);
        w.WriteInt64(options.SynchronizationWindow.Ticks);
        w.WriteInt32(options.TopTemplateCount);
        w.WriteInt32(options.DistinctTemplatePrecision);
        w.WriteUInt32(SeedCheck(options.Seed));
        w.WriteInt64(Volume);
        w.WriteInt64(_firstSeen);
        w.WriteInt64(_lastSeen);
        foreach (uint v in AllBins) w.WriteUInt32(v);
        WriteUInt16s(w, Counters(_words, _layout));
        WriteUInt16s(w, SyncWindowsOf(_words, _layout));
        ReadOnlySpan<long> ids = TopIds, counts = TopCounts;
        for (int i = 0; i < ids.Length; i++)
        {
            w.WriteInt64(ids[i]);
            w.WriteInt64(counts[i]);
        }
        w.WriteBytes(HyperLogLog.SerializeRegisters(Registers(_words, _layout), _layout.Precision, options.Seed));
        WriteTiming(w);
        return w.ToArray();
    }

    /// <summary>
    /// Reads a profile written by <see cref="ToBytes"/>, checking that it was built with
    /// <paramref name="options"/> (every parameter and the seed). O(size of the profile).
    /// </summary>
    /// <param name="data">The serialized profile.</param>
    /// <param name="options">The options it must have been built with; null for <see cref="AccountProfileOptions.Default"/>.</param>
    /// <returns>A new profile equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated, of another type or version, or built with other options (the message names the parameter).</exception>
    public static AccountProfile FromBytes(ReadOnlySpan<byte> data, AccountProfileOptions? options = null)
    {
        options ??= AccountProfileOptions.Default;
        var r = new StateReader(data, Magic, FormatVersion, What);
        r.Expect(r.ReadInt32(), options.TemplateHashCount, nameof(AccountProfileOptions.TemplateHashCount));
        r.Expect(r.ReadInt32(), options.UsageHashCount, nameof(AccountProfileOptions.UsageHashCount));
        r.Expect(r.ReadInt32(), options.UsageCounterWidth, nameof(AccountProfileOptions.UsageCounterWidth));
        r.Expect(r.ReadInt32(), options.SynchronizationHashCount, nameof(AccountProfileOptions.SynchronizationHashCount));
        r.Expect(r.ReadInt64(), options.SynchronizationWindow.Ticks, nameof(AccountProfileOptions.SynchronizationWindow) + " (ticks)");
        r.Expect(r.ReadInt32(), options.TopTemplateCount, nameof(AccountProfileOptions.TopTemplateCount));
        r.Expect(r.ReadInt32(), options.DistinctTemplatePrecision, nameof(AccountProfileOptions.DistinctTemplatePrecision));
        if (r.ReadUInt32() != SeedCheck(options.Seed)) throw new InvalidDataException($"{What}: the state was built with a different hash seed.");
        var p = new AccountProfile(options);
        long volume = r.ReadInt64();
        p._firstSeen = r.ReadInt64();
        p._lastSeen = r.ReadInt64();
        if (volume < 0) throw new InvalidDataException($"{What}: negative volume {volume}.");
        if (volume > 0 && p._firstSeen > p._lastSeen) throw new InvalidDataException($"{What}: first seen is after last seen.");
        Span<uint> bins = p.AllBins;
        for (int i = 0; i < bins.Length; i++) bins[i] = r.ReadUInt32();
        ReadUInt16s(ref r, Counters(p._words, p._layout));
        ReadUInt16s(ref r, SyncWindowsOf(p._words, p._layout));
        int k = p._layout.TopCount;
        Span<long> top = MemoryMarshal.Cast<ulong, long>(p._words.AsSpan(p._layout.TopWord, 2 * k));
        for (int i = 0; i < k; i++)
        {
            top[i] = r.ReadInt64();
            top[k + i] = r.ReadInt64();
            if (top[k + i] < 0) throw new InvalidDataException($"{What}: negative template count.");
        }
        HyperLogLog distinct = HyperLogLog.FromBytes(r.ReadBytes(1 << 20), options.Seed);
        if (distinct.Precision != options.DistinctTemplatePrecision) throw new InvalidDataException($"{What}: the distinct counter has precision {distinct.Precision}, {options.DistinctTemplatePrecision} expected.");
        distinct.CopyRegistersTo(Registers(p._words, p._layout));
        p.ReadTiming(ref r, volume);
        r.EnsureEnd();
        return p;
    }

    private static void WriteUInt16s(StateWriter w, ReadOnlySpan<ushort> values)
    {
        foreach (ushort v in values)
        {
            w.WriteByte((byte)v);
            w.WriteByte((byte)(v >> 8));
        }
    }

    private static void ReadUInt16s(ref StateReader r, Span<ushort> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (ushort)(r.ReadByte() | (r.ReadByte() << 8));
    }

    private static uint SeedCheck(long seed) => (uint)(XxHash3.HashToUInt64(BitConverter.GetBytes(seed), 0x41434346) >> 48);
}
