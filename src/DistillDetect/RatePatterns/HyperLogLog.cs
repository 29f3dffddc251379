using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DistillDetect.RatePatterns;

/// <summary>
/// HyperLogLog distinct counter (Flajolet, Fusy, Gandouet, Meunier 2007) over 64-bit hashes, with the
/// linear-counting small-range correction. One byte per register, <c>m = 2^precision</c> registers.
/// </summary>
/// <remarks>
/// <para>Accuracy: the relative standard error of <see cref="Estimate"/> is about <c>1.04 / sqrt(m)</c>
/// for cardinalities above about <c>2.5 m</c> (raw estimator); below that the linear-counting estimate
/// <c>m ln(m / V)</c> (V = empty registers) is used, whose error is smaller still (Whang et al. 1990).
/// With 64-bit hashes no large-range correction is needed.</para>
/// <para>Memory: <c>m</c> bytes of registers plus about 40 bytes of object overhead. The default precision
/// <see cref="DefaultPrecision"/> = 9 (512 registers, 512 B, standard error 4.6 %) is chosen for a per-account
/// profile, whose whole budget is about 2 KB: the question "a few templates or many distinct prompts" does not
/// need better than 5 %, and below about 1,300 distinct values linear counting is used, which is more
/// accurate than that.</para>
/// <para>Thread safety: none; updates and merges need external synchronization. Reads of a sketch that is
/// no longer updated are safe from any thread.</para>
/// </remarks>
public sealed partial class HyperLogLog
{
    /// <summary>The smallest supported precision (16 registers).</summary>
    public const int MinPrecision = 4;

    /// <summary>The largest supported precision (65,536 registers, 64 KiB).</summary>
    public const int MaxPrecision = 16;

    /// <summary>The default precision for a per-account profile: 512 registers, 512 B, standard error 4.6 %.</summary>
    public const int DefaultPrecision = 9;

    private readonly byte[] _registers;
    private readonly int _precision;
    private readonly long _seed;

    /// <summary>Creates an empty sketch.</summary>
    /// <param name="precision">Bits of the hash that select a register, 4 to 16; <c>m = 2^precision</c>.</param>
    /// <param name="seed">Seed of the XxHash3 used by the span overloads of <c>Add</c>; set one per deployment.
    /// Sketches merge only with sketches of the same seed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is outside 4 to 16.</exception>
    public HyperLogLog(int precision = DefaultPrecision, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, MinPrecision);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, MaxPrecision);
        _precision = precision;
        _seed = seed;
        _registers = new byte[1 << precision];
    }

    private HyperLogLog(int precision, long seed, byte[] registers)
    {
        _precision = precision;
        _seed = seed;
        _registers = registers;
    }

    /// <summary>Bits of the hash that select a register (4 to 16).</summary>
    public int Precision => _precision;

    /// <summary>The seed of the hash used by the span overloads of <c>Add</c>.</summary>
    public long Seed => _seed;

    /// <summary>Number of registers, <c>m = 2^Precision</c>; also the register memory in bytes.</summary>
    public int RegisterCount => _registers.Length;

    /// <summary>The theoretical relative standard error <c>1.04 / sqrt(m)</c> of the raw estimate.</summary>
    public double StandardError => 1.04 / Math.Sqrt(_registers.Length);

    /// <summary>True when nothing has been added. O(m).</summary>
    public bool IsEmpty => _registers.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>
    /// Adds one item given by its 64-bit hash (callers hash with XxHash3 and a deployment seed).
    /// The top <see cref="Precision"/> bits pick the register, the rest give the rank.
    /// O(1), no allocation.
    /// </summary>
    /// <param name="hash">A well-mixed 64-bit hash of the item.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong hash) => AddToRegisters(_registers, _precision, hash);

    // The register operations below work on any span, so a compound state (the account profile) can keep its
    // registers inline in its own array, without a sketch object per account.

    /// <summary>Adds one 64-bit hash to <paramref name="registers"/> (2^<paramref name="precision"/> of them). O(1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddToRegisters(Span<byte> registers, int precision, ulong hash)
    {
        int index = (int)(hash >> (64 - precision));
        // The sentinel bit caps the rank at 64 - p + 1 when the remaining bits are all zero.
        byte rank = (byte)(BitOperations.LeadingZeroCount((hash << precision) | (1UL << (precision - 1))) + 1);
        ref byte register = ref Unsafe.Add(ref MemoryMarshal.GetReference(registers), index);
        if (rank > register) register = rank;
    }

    /// <summary>Adds one item given by its bytes, hashed with XxHash3 and <see cref="Seed"/>. O(length), no allocation.</summary>
    /// <param name="item">The item's bytes.</param>
    public void Add(ReadOnlySpan<byte> item) => Add(XxHash3.HashToUInt64(item, _seed));

    /// <summary>
    /// Adds one item given by its characters, hashed as UTF-16 (little-endian) with XxHash3 and <see cref="Seed"/>.
    /// O(length), no allocation.
    /// </summary>
    /// <param name="item">The item's characters.</param>
    public void Add(ReadOnlySpan<char> item) => Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(item), _seed));

    /// <summary>
    /// Estimates the number of distinct items added: linear counting <c>m ln(m/V)</c> when the raw estimate is at
    /// most <c>2.5 m</c> and some register <c>V</c> is empty, else the raw HyperLogLog estimate
    /// <c>alpha_m m^2 / sum 2^-M[j]</c>. O(m), no allocation.
    /// </summary>
    /// <returns>The estimated cardinality; 0 for an empty sketch.</returns>
    public double Estimate() => EstimateRegisters(_registers);

    /// <summary>The estimate of <see cref="Estimate()"/> for any register span (a power of two, at least 16). O(m).</summary>
    internal static double EstimateRegisters(ReadOnlySpan<byte> registers)
    {
        // Four partial sums break the chain of dependent additions (m is a multiple of 16); 2^-r is built from
        // the exponent bits: exact and branch-free (r <= 61).
        double sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
        for (int i = 0; i < registers.Length; i += 4)
        {
            byte r0 = registers[i], r1 = registers[i + 1], r2 = registers[i + 2], r3 = registers[i + 3];
            sum0 += BitConverter.Int64BitsToDouble((long)(1023 - r0) << 52);
            sum1 += BitConverter.Int64BitsToDouble((long)(1023 - r1) << 52);
            sum2 += BitConverter.Int64BitsToDouble((long)(1023 - r2) << 52);
            sum3 += BitConverter.Int64BitsToDouble((long)(1023 - r3) << 52);
        }
        int zeros = registers.Count((byte)0);
        double sum = (sum0 + sum1) + (sum2 + sum3);
        int m = registers.Length;
        double raw = Alpha(m) * m * (double)m / sum;
        if (raw <= 2.5 * m && zeros > 0)
            return m * Math.Log((double)m / zeros);
        return raw;
    }

    /// <summary>
    /// Merges <paramref name="other"/> into this sketch (register-wise maximum), so this sketch becomes the sketch of
    /// the union of both streams. Commutative, associative and idempotent. O(m), no allocation.
    /// </summary>
    /// <param name="other">A sketch with the same precision and seed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">Precision or seed differ.</exception>
    public void Merge(HyperLogLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._precision != _precision || other._seed != _seed)
            ThrowParameterMismatch(other);
        MergeRegisters(_registers, other._registers);
    }

    /// <summary>Register-wise maximum of two equally long register spans into <paramref name="mine"/>. O(m).</summary>
    internal static void MergeRegisters(Span<byte> mine, ReadOnlySpan<byte> theirs)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= mine.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                Vector.Max(new Vector<byte>(mine[i..]), new Vector<byte>(theirs[i..])).CopyTo(mine[i..]);
        }
        for (; i < mine.Length; i++)
            if (theirs[i] > mine[i]) mine[i] = theirs[i];
    }

    /// <summary>Empties the sketch, keeping precision and seed. O(m).</summary>
    public void Clear() => Array.Clear(_registers);

    /// <summary>Copies the registers into <paramref name="destination"/> (for inspection and tests). O(m).</summary>
    /// <param name="destination">A span of at least <see cref="RegisterCount"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopyRegistersTo(Span<byte> destination) => _registers.AsSpan().CopyTo(destination);

    private static double Alpha(int m) => m switch
    {
        16 => 0.673,
        32 => 0.697,
        64 => 0.709,
        _ => 0.7213 / (1 + 1.079 / m),
    };

    [DoesNotReturn]
    private void ThrowParameterMismatch(HyperLogLog other) =>
        throw new ArgumentException(other._precision != _precision
            ? $"HyperLogLog precision differs ({other._precision} vs {_precision}); only sketches with equal parameters merge."
            : "HyperLogLog hash seeds differ; only sketches with equal parameters merge.", nameof(other));
}
