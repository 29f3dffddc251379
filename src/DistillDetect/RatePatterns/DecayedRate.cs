using DistillDetect.Serialization;

namespace DistillDetect.RatePatterns;

/// <summary>
/// Exponentially decayed event rate with a half-life: every event contributes <c>exp(-(t - t_i) / tau)</c> with
/// <c>tau = halfLife / ln 2</c>, and the rate in events per second is that decayed count divided by <c>tau</c> in seconds.
/// </summary>
/// <remarks>
/// <para>Meaning: for a steady Poisson stream of rate lambda the decayed count converges to <c>lambda tau</c>, so the rate
/// converges to lambda; after a start it reaches <c>1 - 2^-k</c> of lambda after k half-lives.</para>
/// <para>State: the decayed count at the newest event's time (one double and one long), updated in O(1) per event
/// with one <see cref="Math.Exp"/>, no allocation. Out-of-order events are exact at any age: an event older than the
/// newest adds <c>exp(-(t_newest - t) / tau)</c>. Timestamps are UTC <see cref="DateTime"/> ticks; ticks outside the
/// DateTime range are ignored and counted. Callers must bound timestamps by their own clock: a far-future timestamp
/// decays every real event to nothing.</para>
/// <para>Thread safety: none; updates and merges need external synchronization.</para>
/// </remarks>
public sealed class DecayedRate
{
    private const string Magic = "DRAT";
    private const ushort FormatVersion = 1;
    private const string What = "DecayedRate";
    private const long MaxTicks = 3_155_378_975_999_999_999; // DateTime.MaxValue.Ticks

    private readonly long _halfLifeTicks;
    private readonly double _decayPerTick; // ln 2 / half-life in ticks
    private double _weight;                // decayed count at _newestTicks
    private long _newestTicks;
    private long _count;
    private long _ignoredCount;

    /// <summary>Creates an empty rate.</summary>
    /// <param name="halfLife">The half-life of an event's weight; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="halfLife"/> is zero or negative.</exception>
    public DecayedRate(TimeSpan halfLife)
    {
        if (halfLife <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(halfLife), halfLife, "The half-life must be positive.");
        _halfLifeTicks = halfLife.Ticks;
        _decayPerTick = Math.Log(2) / _halfLifeTicks;
    }

    /// <summary>The half-life of an event's weight.</summary>
    public TimeSpan HalfLife => TimeSpan.FromTicks(_halfLifeTicks);

    /// <summary>The number of events added (not decayed).</summary>
    public long Count => _count;

    /// <summary>The number of events ignored because their ticks were outside the DateTime range.</summary>
    public long IgnoredCount => _ignoredCount;

    /// <summary>The newest event's time in UTC ticks; 0 when empty.</summary>
    public long NewestUtcTicks => _newestTicks;

    /// <summary>The rate in events per second as of the newest event. O(1).</summary>
    public double Rate => _weight * _decayPerTick * TimeSpan.TicksPerSecond;

    /// <summary>Adds one event at <paramref name="utcTicks"/>. O(1), no allocation, never throws.</summary>
    /// <param name="utcTicks">The event's UTC time in DateTime ticks.</param>
    public void Add(long utcTicks)
    {
        if ((ulong)utcTicks > MaxTicks)
        {
            _ignoredCount++;
            return;
        }
        if (_count == 0)
        {
            _weight = 1;
            _newestTicks = utcTicks;
        }
        else if (utcTicks >= _newestTicks)
        {
            _weight = _weight * Math.Exp(-(utcTicks - _newestTicks) * _decayPerTick) + 1;
            _newestTicks = utcTicks;
        }
        else
        {
            _weight += Math.Exp(-(_newestTicks - utcTicks) * _decayPerTick);
        }
        _count++;
    }

    /// <summary>Adds one event at <paramref name="timestamp"/> (converted to UTC). O(1), no allocation, never throws.</summary>
    /// <param name="timestamp">The event's time.</param>
    public void Add(DateTimeOffset timestamp) => Add(timestamp.UtcTicks);

    /// <summary>
    /// The rate in events per second as of <paramref name="asOfUtcTicks"/>; a time before the newest event answers as of
    /// the newest event. O(1).
    /// </summary>
    /// <param name="asOfUtcTicks">The query time in UTC DateTime ticks.</param>
    /// <returns>The decayed rate, events per second; 0 when empty.</returns>
    public double GetRate(long asOfUtcTicks) => GetDecayedCount(asOfUtcTicks) * _decayPerTick * TimeSpan.TicksPerSecond;

    /// <summary>
    /// The decayed count <c>sum exp(-(t - t_i) / tau)</c> as of <paramref name="asOfUtcTicks"/>; a time before the newest
    /// event answers as of the newest event. O(1).
    /// </summary>
    /// <param name="asOfUtcTicks">The query time in UTC DateTime ticks.</param>
    /// <returns>The decayed count; 0 when empty.</returns>
    public double GetDecayedCount(long asOfUtcTicks) =>
        asOfUtcTicks <= _newestTicks ? _weight : _weight * Math.Exp(-(double)(asOfUtcTicks - _newestTicks) * _decayPerTick);

    /// <summary>
    /// Merges <paramref name="other"/> into this rate, which becomes the rate of both streams together (exact up to
    /// floating-point rounding). O(1).
    /// </summary>
    /// <param name="other">A rate with the same half-life.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The half-lives differ.</exception>
    public void Merge(DecayedRate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._halfLifeTicks != _halfLifeTicks)
            throw new ArgumentException($"DecayedRate half-lives differ ({other.HalfLife} vs {HalfLife}); only rates with equal half-lives merge.", nameof(other));
        long otherCount = other._count;
        double otherWeight = other._weight;
        long otherNewest = other._newestTicks;
        _ignoredCount += other._ignoredCount;
        if (otherCount == 0) return;
        if (_count == 0)
        {
            _weight = otherWeight;
            _newestTicks = otherNewest;
        }
        else if (otherNewest >= _newestTicks)
        {
            _weight = _weight * Math.Exp(-(double)(otherNewest - _newestTicks) * _decayPerTick) + otherWeight;
            _newestTicks = otherNewest;
        }
        else
        {
            _weight += otherWeight * Math.Exp(-(double)(_newestTicks - otherNewest) * _decayPerTick);
        }
        _count += otherCount;
    }

    /// <summary>Empties the rate, keeping the half-life. O(1).</summary>
    public void Clear()
    {
        _weight = 0;
        _newestTicks = _count = _ignoredCount = 0;
    }

    /// <summary>
    /// Serializes the rate in the library's envelope (magic "DRAT", version 1, CRC-32): half-life, counters, newest
    /// time and decayed count. O(1).
    /// </summary>
    /// <returns>A new array of 54 bytes.</returns>
    public byte[] ToBytes()
    {
        var writer = new StateWriter(Magic, FormatVersion);
        writer.WriteInt64(_halfLifeTicks);
        writer.WriteInt64(_count);
        writer.WriteInt64(_ignoredCount);
        writer.WriteInt64(_newestTicks);
        writer.WriteDouble(_weight);
        return writer.ToArray();
    }

    /// <summary>Reads a rate written by <see cref="ToBytes"/>. O(1).</summary>
    /// <param name="data">The serialized rate.</param>
    /// <returns>A new rate equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, inconsistent, or of another type or version.</exception>
    public static DecayedRate FromBytes(ReadOnlySpan<byte> data)
    {
        var reader = new StateReader(data, Magic, FormatVersion, What);
        long halfLife = reader.ReadInt64();
        long count = reader.ReadInt64();
        long ignored = reader.ReadInt64();
        long newest = reader.ReadInt64();
        double weight = reader.ReadDouble();
        reader.EnsureEnd();
        if (halfLife <= 0)
            throw new InvalidDataException($"{What}: half-life {halfLife} ticks is not positive.");
        if (count < 0 || ignored < 0)
            throw new InvalidDataException($"{What}: negative event counters.");
        if ((ulong)newest > MaxTicks)
            throw new InvalidDataException($"{What}: newest time {newest} is outside the DateTime range.");
        // Each event weighs at most 1 at the newest time, and the newest event itself weighs exactly 1.
        if (count == 0 ? weight != 0 || newest != 0 : !(weight >= 1 && weight <= count))
            throw new InvalidDataException($"{What}: decayed count {weight} is inconsistent with {count} events.");
        return new DecayedRate(TimeSpan.FromTicks(halfLife))
        {
            _count = count,
            _ignoredCount = ignored,
            _newestTicks = newest,
            _weight = weight,
        };
    }
}
