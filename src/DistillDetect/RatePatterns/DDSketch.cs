using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace DistillDetect.RatePatterns;

/// <summary>
/// DDSketch quantile sketch with relative-error guarantee (Masson, Rim, Lee 2019, "DDSketch: a fast and fully-mergeable
/// quantile sketch with relative-error guarantees"), for non-negative values such as inter-arrival gaps in seconds.
/// </summary>
/// <remarks>
/// <para>Mapping: logarithmic. With <c>gamma = (1 + alpha) / (1 - alpha)</c>, a value <c>x</c> goes to bin
/// <c>i = ceil(log_gamma x)</c>, which covers <c>(gamma^(i-1), gamma^i]</c> and answers <c>2 gamma^i / (gamma + 1)</c>,
/// within relative error <c>alpha</c> of every value in the bin.</para>
/// <para>Guarantee: <see cref="GetQuantile"/> takes the 0-based rank <c>floor(q (n - 1))</c> of the sorted input, as in
/// the paper, and returns a value within relative error <c>alpha</c> of the input value of that rank, unless that
/// value lies in a collapsed bin (below).</para>
/// <para>Zero and negative values: values in <c>[0, MinIndexableValue)</c> (zero and subnormal numbers) are counted in a
/// separate zero bin and answer exactly 0. Negative values, NaN and infinities are rejected with
/// <see cref="ArgumentOutOfRangeException"/>: gaps are never negative, so one is a caller's bug.</para>
/// <para>Bounded memory: the bins of one sketch span at most <see cref="MaxBins"/> consecutive indices. When a value
/// would widen the span further, the lowest bins are collapsed into the lowest kept bin (the "collapsing lowest"
/// store of the paper, section 2.3). Quantiles whose rank falls above the collapsed bin keep the <c>alpha</c>
/// guarantee; with the defaults the kept span is a factor <c>gamma^1024 = 7.8e8</c> below the maximum, so gaps from
/// 10 ms up to three months are all exact to 1 %. Counts are 32-bit per bin, so bin memory is at most
/// <c>4 MaxBins</c> bytes (4 KiB by default) plus about 100 bytes; the bins are a dense array over the occupied
/// span only, so a stream of gaps clustered within a factor of 3 (a fixed interval with +-50 % jitter) takes about
/// 55 bins: about 300 bytes in all.</para>
/// <para>Thread safety: none; updates and merges need external synchronization.</para>
/// </remarks>
public sealed partial class DDSketch
{
    /// <summary>The default relative accuracy, 1 %.</summary>
    public const double DefaultRelativeAccuracy = 0.01;

    /// <summary>The default bound on the span of bins: 1,024 bins, 4 KiB.</summary>
    public const int DefaultMaxBins = 1024;

    /// <summary>The smallest allowed <see cref="MaxBins"/>.</summary>
    public const int MinMaxBins = 16;

    /// <summary>The largest allowed <see cref="MaxBins"/> (enough to index every positive double at 1 %).</summary>
    public const int MaxMaxBins = 1 << 20;

    /// <summary>The smallest value given its own bin (the smallest normal double); smaller values count as 0.</summary>
    public const double MinIndexableValue = 2.2250738585072014E-308;

    private readonly double _relativeAccuracy;
    private readonly double _gamma;
    private readonly double _lnGamma;
    private readonly double _multiplier;
    private readonly int _maxBins;

    private uint[] _bins = [];
    private int _offset;    // _bins[j] holds the count of bin index _offset + j
    private int _minIndex;  // lowest and highest non-empty bin; meaningful when _binTotal > 0
    private int _maxIndex;
    private long _binTotal;
    private long _zeroCount;
    private double _sum;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private bool _collapsed;

    /// <summary>Creates an empty sketch.</summary>
    /// <param name="relativeAccuracy">The relative accuracy alpha, in (0, 1); 0.01 answers quantiles within 1 %.</param>
    /// <param name="maxBins">The bound on the span of bins, 16 to 1,048,576; memory is at most 4 bytes per bin.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public DDSketch(double relativeAccuracy = DefaultRelativeAccuracy, int maxBins = DefaultMaxBins)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "The relative accuracy must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBins, MinMaxBins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBins, MaxMaxBins);
        _relativeAccuracy = relativeAccuracy;
        _gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _lnGamma = Math.Log(_gamma);
        _multiplier = 1 / _lnGamma;
        _maxBins = maxBins;
    }

    /// <summary>The relative accuracy alpha of quantile answers.</summary>
    public double RelativeAccuracy => _relativeAccuracy;

    /// <summary>The bound on the span of bins.</summary>
    public int MaxBins => _maxBins;

    /// <summary>The number of values added.</summary>
    public long Count => _zeroCount + _binTotal;

    /// <summary>The number of values counted in the zero bin (values below <see cref="MinIndexableValue"/>).</summary>
    public long ZeroCount => _zeroCount;

    /// <summary>The sum of the values added (values counted as 0 add 0); 0 when empty.</summary>
    public double Sum => _sum;

    /// <summary>The smallest value added, exactly; NaN when empty.</summary>
    public double Min => Count == 0 ? double.NaN : _min;

    /// <summary>The largest value added, exactly; NaN when empty.</summary>
    public double Max => Count == 0 ? double.NaN : _max;

    /// <summary>True when the lowest bins have been collapsed, so low quantiles may have lost the alpha guarantee.</summary>
    public bool IsCollapsed => _collapsed;

    /// <summary>The number of bins between the lowest and highest non-empty bin, inclusive (0 when none).</summary>
    public int BinSpan => _binTotal == 0 ? 0 : _maxIndex - _minIndex + 1;

    /// <summary>Approximate bytes of memory held by this sketch: object, bin array header and bins.</summary>
    public int MemoryBytes => 112 + 24 + 4 * _bins.Length;

    /// <summary>
    /// Adds one value. O(1) amortized: allocates only when the value falls outside the span of bins allocated so far
    /// (the array grows with slack, so a stable stream allocates nothing).
    /// </summary>
    /// <param name="value">A finite value &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    /// <exception cref="OverflowException">One bin would hold more than 4,294,967,295 values.</exception>
    [SkipLocalsInit]
    public void Add(double value)
    {
        if (!(value >= 0 && value <= double.MaxValue))
            ThrowInvalidValue(value);
        if (value < MinIndexableValue)
        {
            _zeroCount++;
            value = 0;
        }
        else
        {
            int index = IndexOf(value);
            if (_binTotal != 0 && index >= _minIndex && index <= _maxIndex)
            {
                ref uint bin = ref _bins[index - _offset];
                uint next = bin + 1;
                if (next == 0) ThrowBinOverflow();
                bin = next;
                _binTotal++;
            }
            else
            {
                AddOutsideSpan(index, 1);
            }
        }
        _sum += value;
        if (value < _min) _min = value;
        if (value > _max) _max = value;
    }

    /// <summary>Adds <paramref name="count"/> copies of one value. O(1) amortized, as <see cref="Add(double)"/>.</summary>
    /// <param name="value">A finite value &gt;= 0.</param>
    /// <param name="count">How many times to add it, &gt;= 0 (0 does nothing).</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite, or the count is negative.</exception>
    /// <exception cref="OverflowException">One bin would hold more than 4,294,967,295 values.</exception>
    public void Add(double value, long count)
    {
        if (!(value >= 0 && value <= double.MaxValue))
            ThrowInvalidValue(value);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        if (count > uint.MaxValue) ThrowBinOverflow();
        if (value < MinIndexableValue)
        {
            _zeroCount += count;
            value = 0;
        }
        else
        {
            int index = IndexOf(value);
            if (_binTotal != 0 && index >= _minIndex && index <= _maxIndex)
                AddToBin(index, (uint)count);
            else
                AddOutsideSpan(index, (uint)count);
        }
        _sum += value * count;
        if (value < _min) _min = value;
        if (value > _max) _max = value;
    }

    /// <summary>
    /// Returns the estimated q-quantile: a value within relative error alpha of the input value of 0-based rank
    /// <c>floor(q (n - 1))</c> in sorted order (q = 0 and q = 1 answer <see cref="Min"/> and <see cref="Max"/> exactly).
    /// Answers are clamped to [Min, Max], which never increases the error. O(bins), no allocation.
    /// </summary>
    /// <param name="q">The quantile, in [0, 1].</param>
    /// <returns>The estimate; NaN when the sketch is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is outside [0, 1] or NaN.</exception>
    public double GetQuantile(double q)
    {
        if (!(q >= 0 && q <= 1))
            throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must be in [0, 1].");
        long n = Count;
        if (n == 0) return double.NaN;
        if (q == 0) return _min;
        if (q == 1) return _max;
        long rank = (long)Math.Floor(q * (n - 1));
        if (rank < _zeroCount) return 0;
        long cumulative = _zeroCount;
        uint[] bins = _bins;
        for (int index = _minIndex; index <= _maxIndex; index++)
        {
            cumulative += bins[index - _offset];
            if (cumulative > rank)
                return Math.Clamp(BinValue(index), _min, _max);
        }
        return _max; // unreachable while the counts are consistent
    }

    /// <summary>
    /// Merges <paramref name="other"/> into this sketch, which becomes the sketch of the concatenation of both streams:
    /// bins, counts, Min and Max are exactly those of a sketch fed both streams (in any order; collapsing keeps this
    /// property), Sum up to floating-point rounding. O(bins of other), allocates only when the span widens.
    /// </summary>
    /// <param name="other">A sketch with the same relative accuracy and <see cref="MaxBins"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The parameters differ.</exception>
    /// <exception cref="OverflowException">One bin would hold more than 4,294,967,295 values.</exception>
    public void Merge(DDSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._relativeAccuracy != _relativeAccuracy || other._maxBins != _maxBins)
            throw new ArgumentException($"DDSketch parameters differ (relative accuracy {other._relativeAccuracy} vs {_relativeAccuracy}, max bins {other._maxBins} vs {_maxBins}); only sketches with equal parameters merge.", nameof(other));
        if (other.Count == 0) return;
        if (ReferenceEquals(other, this))
        {
            // Merging with itself doubles every count; go through a copy so the loop reads stable bins.
            Merge(FromBytes(other.ToBytes()));
            return;
        }
        _zeroCount += other._zeroCount;
        _sum += other._sum;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
        _collapsed |= other._collapsed;
        if (other._binTotal == 0) return;
        // From the highest bin down, so the collapse bound is final before any lower bin is added.
        for (int index = other._maxIndex; index >= other._minIndex; index--)
        {
            uint c = other._bins[index - other._offset];
            if (c == 0) continue;
            if (_binTotal != 0 && index >= _minIndex && index <= _maxIndex)
                AddToBin(index, c);
            else
                AddOutsideSpan(index, c);
        }
    }

    /// <summary>Empties the sketch, keeping its parameters and releasing its bins. O(1).</summary>
    public void Clear()
    {
        _bins = [];
        _offset = _minIndex = _maxIndex = 0;
        _binTotal = _zeroCount = 0;
        _sum = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
        _collapsed = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(double value) => (int)Math.Ceiling(Math.Log(value) * _multiplier);

    private double BinValue(int index) => Math.Exp(index * _lnGamma) * (2 / (_gamma + 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddToBin(int index, uint count)
    {
        ref uint bin = ref _bins[index - _offset];
        uint next = bin + count;
        if (next < count) ThrowBinOverflow();
        bin = next;
        _binTotal += count;
    }

    // The rare path: the first bin, or a bin outside [_minIndex, _maxIndex]. Widens the span, collapsing the lowest
    // bins into the lowest kept one when the span would exceed _maxBins.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddOutsideSpan(int index, uint count)
    {
        if (_binTotal == 0)
        {
            if (index < _offset || index >= _offset + _bins.Length)
            {
                int length = Math.Min(_maxBins, 16);
                _bins = new uint[length];
                _offset = index - length / 2;
            }
            _minIndex = _maxIndex = index;
        }
        else if (index > _maxIndex)
        {
            int newMin = Math.Max(_minIndex, index - _maxBins + 1);
            SetSpan(newMin, index, growingHigh: true);
        }
        else if (index < _minIndex)
        {
            int bound = _maxIndex - _maxBins + 1;
            if (index < bound)
            {
                index = bound;
                _collapsed = true;
            }
            if (index < _minIndex)
                SetSpan(index, _maxIndex, growingHigh: false);
        }
        AddToBin(index, count);
    }

    // Makes [newMin, newMax] the span of bins: bins below newMin fold into newMin, and the array is reallocated
    // (with slack on the growing side) when it does not cover the new span.
    private void SetSpan(int newMin, int newMax, bool growingHigh)
    {
        ulong folded = 0;
        for (int index = _minIndex; index < newMin && index <= _maxIndex; index++)
        {
            folded += _bins[index - _offset];
            _bins[index - _offset] = 0;
        }
        if (folded != 0) _collapsed = true;
        if (newMin < _offset || newMax >= _offset + _bins.Length)
        {
            int span = newMax - newMin + 1;
            int length = (int)Math.Min(_maxBins, span + Math.Max(8L, span / 8));
            int offset = growingHigh ? newMin : newMax - length + 1;
            var bins = new uint[length];
            int from = Math.Max(_minIndex, newMin);
            for (int index = from; index <= _maxIndex; index++)
                bins[index - offset] = _bins[index - _offset];
            _bins = bins;
            _offset = offset;
        }
        _minIndex = newMin;
        _maxIndex = newMax;
        if (folded != 0)
        {
            ulong total = _bins[newMin - _offset] + folded;
            if (total > uint.MaxValue) ThrowBinOverflow();
            _bins[newMin - _offset] = (uint)total;
        }
    }

    [DoesNotReturn]
    private static void ThrowInvalidValue(double value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value, "DDSketch accepts finite values >= 0 only.");

    [DoesNotReturn]
    private static void ThrowBinOverflow() =>
        throw new OverflowException("A DDSketch bin would hold more than 4,294,967,295 values.");
}
