using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

/// <summary>
/// Parameters of a <see cref="MinHasher"/>. Immutable (init-only); two signatures are comparable only when
/// they were computed with equal options.
/// </summary>
public sealed record MinHashOptions
{
    /// <summary>
    /// The default <see cref="Seed"/>: 0x44697374696C6C44 (the ASCII bytes of "DistillD"). Deployments should
    /// choose their own secret seed: an attacker who knows it can aim collisions at LSH buckets.
    /// </summary>
    public const long DefaultSeed = 0x4469_7374_696C_6C44;

    /// <summary>The largest supported <see cref="HashCount"/>.</summary>
    public const int MaxHashCount = 4096;

    /// <summary>Number of values in a signature (k), 1 to <see cref="MaxHashCount"/>. Default 128 (standard error of a Jaccard estimate at most 0.044).</summary>
    public int HashCount { get; init; } = 128;

    /// <summary>Words per shingle, 1 to <see cref="Shingler.MaxShingleSize"/>. Default 3.</summary>
    public int ShingleSize { get; init; } = 3;

    /// <summary>Seed of every hash (shingles, element mixing, densification, permutations). Default <see cref="DefaultSeed"/>.</summary>
    public long Seed { get; init; } = DefaultSeed;

    /// <summary>Signature scheme. Default <see cref="MinHashScheme.OnePermutation"/>.</summary>
    public MinHashScheme Scheme { get; init; } = MinHashScheme.OnePermutation;

    /// <summary>Optional normalization folds applied before shingling. Default <see cref="NormalizationOptions.MaskNumbers"/>.</summary>
    public NormalizationOptions Normalization { get; init; } = NormalizationOptions.MaskNumbers;

    /// <summary>Checks every parameter. O(1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range (the message names it).</exception>
    public void Validate()
    {
        if (HashCount is < 1 or > MaxHashCount)
            TextGuard.ArgumentOutOfRange(nameof(HashCount), $"must be between 1 and {MaxHashCount} (was {HashCount}).");
        if (ShingleSize is < 1 or > Shingler.MaxShingleSize)
            TextGuard.ArgumentOutOfRange(nameof(ShingleSize), $"must be between 1 and {Shingler.MaxShingleSize} (was {ShingleSize}).");
        if (Scheme is not (MinHashScheme.OnePermutation or MinHashScheme.KIndependent or MinHashScheme.OptimalDensification))
            TextGuard.ArgumentOutOfRange(nameof(Scheme), $"is not a defined scheme (was {(int)Scheme}).");
        if ((Normalization & ~NormalizationOptions.MaskNumbers) != 0)
            TextGuard.ArgumentOutOfRange(nameof(Normalization), $"has undefined flags (was {(int)Normalization}).");
    }
}
