namespace DistillDetect.Accounts;

/// <summary>
/// Weights of the components of the combined account similarity (<see cref="AccountSimilarity.Score"/>):
/// the score is the weighted mean of the components, so only ratios matter. Each weight must be finite
/// and non-negative and at least one positive. Immutable, thread-safe.
/// <para>Defaults: template overlap 0.35 (what was sent), synchronization 0.25 (sent together),
/// activity profile 0.15, rate statistics 0.10, lifetime 0.15 (created and abandoned together). Shared
/// content carries most weight because it is the campaign's purpose, but never more than about a third:
/// a popular prompt shared by unrelated people must not reach a cohort threshold of 0.5 on its own.</para>
/// </summary>
public sealed record SimilarityWeights
{
    /// <summary>Shared default instance.</summary>
    public static SimilarityWeights Default { get; } = new();

    /// <summary>Weight of <see cref="AccountSimilarity.TemplateOverlap"/>.</summary>
    public double TemplateOverlap { get; init; } = 0.35;

    /// <summary>Weight of <see cref="AccountSimilarity.Synchronization"/>.</summary>
    public double Synchronization { get; init; } = 0.25;

    /// <summary>Weight of <see cref="AccountSimilarity.ActivityProfile"/>.</summary>
    public double ActivityProfile { get; init; } = 0.15;

    /// <summary>Weight of <see cref="AccountSimilarity.RateStatistics"/>.</summary>
    public double RateStatistics { get; init; } = 0.10;

    /// <summary>Weight of <see cref="AccountSimilarity.Lifetime"/>.</summary>
    public double Lifetime { get; init; } = 0.15;

    /// <summary>Sum of the weights.</summary>
    public double Total => TemplateOverlap + Synchronization + ActivityProfile + RateStatistics + Lifetime;

    /// <summary>Checks the weights.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative, NaN or infinite, or all are zero.</exception>
    public void Validate()
    {
        Check(TemplateOverlap, nameof(TemplateOverlap));
        Check(Synchronization, nameof(Synchronization));
        Check(ActivityProfile, nameof(ActivityProfile));
        Check(RateStatistics, nameof(RateStatistics));
        Check(Lifetime, nameof(Lifetime));
        if (!(Total > 0)) OptionGuard.OutOfRange(nameof(Total), Total, "(0, infinity): at least one weight must be positive");
    }

    private static void Check(double weight, string name)
    {
        if (!double.IsFinite(weight) || weight < 0) OptionGuard.OutOfRange(name, weight, "[0, infinity)");
    }
}
