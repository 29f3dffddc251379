using DistillDetect.Serialization;

namespace DistillDetect.RatePatterns;

public sealed partial class DDSketch
{
    private const string Magic = "DDSK";
    private const ushort FormatVersion = 1;
    private const string What = "DDSketch";

    /// <summary>
    /// Serializes the sketch in the library's envelope (magic "DDSK", version 1, CRC-32): parameters, zero count,
    /// sum, min, max, collapse flag and the counts of the occupied span of bins. O(bins).
    /// </summary>
    /// <returns>A new array of about <c>4 BinSpan + 70</c> bytes.</returns>
    public byte[] ToBytes()
    {
        var writer = new StateWriter(Magic, FormatVersion);
        writer.WriteDouble(_relativeAccuracy);
        writer.WriteInt32(_maxBins);
        writer.WriteBool(_collapsed);
        writer.WriteInt64(_zeroCount);
        writer.WriteDouble(_sum);
        writer.WriteDouble(_min);
        writer.WriteDouble(_max);
        writer.WriteInt32(_binTotal == 0 ? 0 : _minIndex);
        writer.WriteUInt32s(_binTotal == 0 ? [] : _bins.AsSpan(_minIndex - _offset, _maxIndex - _minIndex + 1));
        return writer.ToArray();
    }

    /// <summary>Reads a sketch written by <see cref="ToBytes"/>. O(bins).</summary>
    /// <param name="data">The serialized sketch.</param>
    /// <returns>A new sketch equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, inconsistent, or of another type or version.</exception>
    public static DDSketch FromBytes(ReadOnlySpan<byte> data)
    {
        var reader = new StateReader(data, Magic, FormatVersion, What);
        double alpha = reader.ReadDouble();
        int maxBins = reader.ReadInt32();
        if (!(alpha > 0 && alpha < 1))
            throw new InvalidDataException($"{What}: relative accuracy {alpha} is outside (0, 1).");
        if (maxBins is < MinMaxBins or > MaxMaxBins)
            throw new InvalidDataException($"{What}: max bins {maxBins} is outside {MinMaxBins} to {MaxMaxBins}.");
        var sketch = new DDSketch(alpha, maxBins);
        bool collapsed = reader.ReadBool();
        long zeroCount = reader.ReadInt64();
        double sum = reader.ReadDouble();
        double min = reader.ReadDouble();
        double max = reader.ReadDouble();
        int minIndex = reader.ReadInt32();
        uint[] bins = reader.ReadUInt32s(maxBins);
        reader.EnsureEnd();

        if (zeroCount < 0)
            throw new InvalidDataException($"{What}: negative zero count {zeroCount}.");
        long binTotal = 0;
        foreach (uint c in bins) binTotal += c;
        if (bins.Length > 0 && (bins[0] == 0 || bins[^1] == 0))
            throw new InvalidDataException($"{What}: the stored span of bins does not start and end with a non-empty bin.");
        if (bins.Length > 0)
        {
            int lowest = sketch.IndexOf(MinIndexableValue);
            int highest = sketch.IndexOf(double.MaxValue);
            if (minIndex < lowest || (long)minIndex + bins.Length - 1 > highest)
                throw new InvalidDataException($"{What}: bin indices {minIndex} to {(long)minIndex + bins.Length - 1} are outside the mapping's range {lowest} to {highest}.");
        }
        long count = zeroCount + binTotal;
        if (count == 0)
        {
            if (sum != 0 || min != double.PositiveInfinity || max != double.NegativeInfinity || collapsed)
                throw new InvalidDataException($"{What}: an empty sketch has non-empty summary fields.");
        }
        else if (!(min >= 0 && min <= max && max <= double.MaxValue && sum >= 0 && !double.IsNaN(sum)) || (zeroCount > 0 && min != 0))
        {
            throw new InvalidDataException($"{What}: inconsistent min {min}, max {max} or sum {sum}.");
        }

        sketch._collapsed = collapsed;
        sketch._zeroCount = zeroCount;
        sketch._sum = sum;
        sketch._min = min;
        sketch._max = max;
        if (bins.Length > 0)
        {
            sketch._bins = bins;
            sketch._offset = minIndex;
            sketch._minIndex = minIndex;
            sketch._maxIndex = minIndex + bins.Length - 1;
            sketch._binTotal = binTotal;
        }
        return sketch;
    }


}
