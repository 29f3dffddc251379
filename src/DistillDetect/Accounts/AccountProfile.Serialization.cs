using System.IO.Hashing;
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
        w.WriteInt32(_options.TemplateHashCount);
        w.WriteInt32(_options.UsageHashCount);
        w.WriteInt32(_options.UsageCounterWidth);
        w.WriteInt32(_options.SynchronizationHashCount);
        w.WriteInt64(_options.SynchronizationWindow.Ticks);
        w.WriteInt32(_options.TopTemplateCount);
        w.WriteInt32(_options.DistinctTemplatePrecision);
        w.WriteUInt32(SeedCheck(_options.Seed));
        w.WriteInt64(_volume);
        w.WriteInt64(_firstSeen);
        w.WriteInt64(_lastSeen);
        foreach (uint v in _bins) w.WriteUInt32(v);
        foreach (ushort v in _usageCounters)
        {
            w.WriteByte((byte)v);
            w.WriteByte((byte)(v >> 8));
        }
        foreach (ushort v in _syncWindows)
        {
            w.WriteByte((byte)v);
            w.WriteByte((byte)(v >> 8));
        }
        for (int i = 0; i < _topIds.Length; i++)
        {
            w.WriteInt64(_topIds[i]);
            w.WriteInt64(_topCounts[i]);
        }
        w.WriteBytes(_distinct.ToBytes());
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
        p._volume = r.ReadInt64();
        p._firstSeen = r.ReadInt64();
        p._lastSeen = r.ReadInt64();
        if (p._volume < 0) throw new InvalidDataException($"{What}: negative volume {p._volume}.");
        if (p._volume > 0 && p._firstSeen > p._lastSeen) throw new InvalidDataException($"{What}: first seen is after last seen.");
        for (int i = 0; i < p._bins.Length; i++) p._bins[i] = r.ReadUInt32();
        for (int i = 0; i < p._usageCounters.Length; i++) p._usageCounters[i] = (ushort)(r.ReadByte() | (r.ReadByte() << 8));
        for (int i = 0; i < p._syncWindows.Length; i++) p._syncWindows[i] = (ushort)(r.ReadByte() | (r.ReadByte() << 8));
        for (int i = 0; i < p._topIds.Length; i++)
        {
            p._topIds[i] = r.ReadInt64();
            p._topCounts[i] = r.ReadInt64();
            if (p._topCounts[i] < 0) throw new InvalidDataException($"{What}: negative template count.");
        }
        HyperLogLog distinct = HyperLogLog.FromBytes(r.ReadBytes(1 << 20), options.Seed);
        if (distinct.Precision != options.DistinctTemplatePrecision) throw new InvalidDataException($"{What}: the distinct counter has precision {distinct.Precision}, {options.DistinctTemplatePrecision} expected.");
        p._distinct.Merge(distinct);
        p.ReadTiming(ref r);
        r.EnsureEnd();
        return p;
    }

    private static uint SeedCheck(long seed) => (uint)(XxHash3.HashToUInt64(BitConverter.GetBytes(seed), 0x41434346) >> 48);
}
