using System.Globalization;
using System.Text;

namespace DistillDetect.Accounts;

/// <summary>
/// Every component of the similarity of two accounts, each in [0, 1], with the weights used and the
/// combined score (the weighted mean of the five weighted components). Jaccard and containment are shown
/// separately, for the template sets and for the usage-weighted multisets; the larger geometric mean is the template-overlap component.
/// </summary>
/// <param name="TemplateJaccard">Estimated Jaccard similarity of the two sets of template ids.</param>
/// <param name="TemplateContainment">Estimated share of the smaller template set found in the larger.</param>
/// <param name="UsageJaccard">Estimated usage-weighted (multiset) Jaccard of the exchange counts per template.</param>
/// <param name="UsageContainment">Estimated usage-weighted containment of the smaller account's exchanges in the other's.</param>
/// <param name="TemplateOverlap">The template-overlap component: max(sqrt(Jaccard x containment), sqrt(usage Jaccard x usage containment)).</param>
/// <param name="Synchronization">Jaccard of the (template, time window) sets: share of actions on the same template in the same window.</param>
/// <param name="ActivityProfile">Bhattacharyya coefficient (1 - squared Hellinger distance) of the hour-of-week histograms.</param>
/// <param name="RateStatistics">Agreement of mean inter-arrival gap and burstiness; 0 when either account has fewer than 3 exchanges.</param>
/// <param name="Lifetime">Intersection over union of the two accounts' active intervals, each widened by one synchronization window.</param>
/// <param name="Score">Weighted mean of the five components.</param>
/// <param name="Weights">The weights used.</param>
public sealed record SimilarityExplanation(
    double TemplateJaccard,
    double TemplateContainment,
    double UsageJaccard,
    double UsageContainment,
    double TemplateOverlap,
    double Synchronization,
    double ActivityProfile,
    double RateStatistics,
    double Lifetime,
    double Score,
    SimilarityWeights Weights)
{
    /// <summary>One line per component: value, weight and contribution to the score, then the score.</summary>
    /// <returns>A multi-line, human-readable text (invariant culture).</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        double total = Weights.Total;
        Line(sb, "template overlap", TemplateOverlap, Weights.TemplateOverlap, total);
        sb.Append(CultureInfo.InvariantCulture, $"    (set jaccard {TemplateJaccard:F3}, containment {TemplateContainment:F3}; usage jaccard {UsageJaccard:F3}, containment {UsageContainment:F3})\n");
        Line(sb, "synchronized activity", Synchronization, Weights.Synchronization, total);
        Line(sb, "hour-of-week profile", ActivityProfile, Weights.ActivityProfile, total);
        Line(sb, "rate statistics", RateStatistics, Weights.RateStatistics, total);
        Line(sb, "lifetime", Lifetime, Weights.Lifetime, total);
        sb.Append(CultureInfo.InvariantCulture, $"score {Score:F3}");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string name, double value, double weight, double total) =>
        sb.Append(CultureInfo.InvariantCulture, $"{name,-22} {value:F3} x weight {weight / total:F2} = {value * weight / total:F3}\n");
}
