using System.Collections.Frozen;

namespace DistillDetect.Detection;

/// <summary>
/// The campaign-template map the request path reads: template id to campaign id, and each campaign's score.
/// Immutable; <see cref="DistillationDetector.Analyze"/> publishes a new one with one reference write, so readers
/// never lock and lookups allocate nothing.
/// </summary>
internal sealed class CampaignMap
{
    public static readonly CampaignMap Empty = new(new Dictionary<long, int>(), new Dictionary<int, double>());

    private readonly FrozenDictionary<long, int> _templates;
    private readonly FrozenDictionary<int, double> _scores;

    public CampaignMap(Dictionary<long, int> templates, Dictionary<int, double> scores)
    {
        _templates = templates.ToFrozenDictionary();
        _scores = scores.ToFrozenDictionary();
    }

    public int TemplateCount => _templates.Count;

    public IEnumerable<KeyValuePair<long, int>> Templates => _templates;

    /// <summary>The campaign the template is tied to, else 0.</summary>
    public int CampaignOf(long templateId) => _templates.TryGetValue(templateId, out int campaign) ? campaign : 0;

    /// <summary>The campaign's score, else 0.</summary>
    public double ScoreOf(int campaignId) => _scores.TryGetValue(campaignId, out double score) ? score : 0.0;
}
