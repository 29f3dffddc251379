using System.Text.Json;

namespace DistillDetect.Cli.Reports;

/// <summary>
/// The labels of <c>truth.json</c>: <c>{"campaign_accounts": [...]}</c>, optionally
/// <c>"campaigns": {id: [accounts]}</c>, <c>"hard_negative_groups": {kind: [accounts]}</c> (or an array of
/// <c>{"kind"|"name"|"id", "accounts"}</c>) and <c>"hard_negative_accounts": [...]</c> (strings, or objects
/// <c>{"account", "kind"|"group"}</c>). Unknown fields are ignored.
/// </summary>
internal sealed class GroundTruth
{
    private GroundTruth(HashSet<string> campaignAccounts, Dictionary<string, List<string>> campaigns,
        Dictionary<string, List<string>> hardNegativeGroups, HashSet<string> hardNegativeAccounts)
    {
        CampaignAccounts = campaignAccounts;
        Campaigns = campaigns;
        HardNegativeGroups = hardNegativeGroups;
        HardNegativeAccounts = hardNegativeAccounts;
    }

    /// <summary>Every account that belongs to a campaign.</summary>
    public IReadOnlySet<string> CampaignAccounts { get; }

    /// <summary>Campaign id to its accounts (empty when the truth file does not say).</summary>
    public IReadOnlyDictionary<string, List<string>> Campaigns { get; }

    /// <summary>Hard-negative group kind to its accounts (ungrouped accounts under <c>ungrouped</c>).</summary>
    public IReadOnlyDictionary<string, List<string>> HardNegativeGroups { get; }

    /// <summary>Every hard-negative account (union of all groups and the flat list).</summary>
    public IReadOnlySet<string> HardNegativeAccounts { get; }

    /// <summary>Reads a truth file. Throws <see cref="InvalidDataException"/> naming what is wrong, or an IO exception.</summary>
    public static GroundTruth Load(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads truth JSON from <paramref name="stream"/>; <paramref name="name"/> appears in error messages.</summary>
    public static GroundTruth Load(Stream stream, string name)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name} is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{name}: expected a JSON object with \"campaign_accounts\".");
            }
            if (!root.TryGetProperty("campaign_accounts", out JsonElement ca))
            {
                throw new InvalidDataException($"{name}: missing \"campaign_accounts\".");
            }
            var campaignAccounts = new HashSet<string>(ReadStrings(ca, name, "campaign_accounts"), StringComparer.Ordinal);
            var campaigns = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("campaigns", out JsonElement c) && c.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in c.EnumerateObject())
                {
                    campaigns[p.Name] = ReadStrings(p.Value, name, "campaigns." + p.Name);
                }
            }
            var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("hard_negative_groups", out JsonElement g))
            {
                ReadGroups(g, name, groups);
            }
            if (root.TryGetProperty("hard_negative_accounts", out JsonElement hn) && hn.ValueKind != JsonValueKind.Null)
            {
                if (hn.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidDataException($"{name}: \"hard_negative_accounts\" must be an array.");
                }
                foreach (JsonElement e in hn.EnumerateArray())
                {
                    if (e.ValueKind == JsonValueKind.String)
                    {
                        Add(groups, "ungrouped", e.GetString()!);
                    }
                    else if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("account", out JsonElement a) && a.ValueKind == JsonValueKind.String)
                    {
                        string kind = TryString(e, "kind") ?? TryString(e, "group") ?? "ungrouped";
                        Add(groups, kind, a.GetString()!);
                    }
                    else
                    {
                        throw new InvalidDataException($"{name}: \"hard_negative_accounts\" entries must be strings or {{\"account\", \"kind\"}} objects.");
                    }
                }
            }
            var hardNegatives = new HashSet<string>(StringComparer.Ordinal);
            foreach (List<string> list in groups.Values)
            {
                hardNegatives.UnionWith(list);
            }
            return new GroundTruth(campaignAccounts, campaigns, groups, hardNegatives);
        }
    }

    private static void ReadGroups(JsonElement g, string name, Dictionary<string, List<string>> groups)
    {
        if (g.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in g.EnumerateObject())
            {
                foreach (string a in ReadStrings(p.Value, name, "hard_negative_groups." + p.Name))
                {
                    Add(groups, p.Name, a);
                }
            }
        }
        else if (g.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement e in g.EnumerateArray())
            {
                string kind = (e.ValueKind == JsonValueKind.Object ? TryString(e, "kind") ?? TryString(e, "name") ?? TryString(e, "id") : null)
                    ?? "group" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("accounts", out JsonElement accounts))
                {
                    throw new InvalidDataException($"{name}: \"hard_negative_groups\" array entries need \"accounts\".");
                }
                foreach (string a in ReadStrings(accounts, name, "hard_negative_groups[].accounts"))
                {
                    Add(groups, kind, a);
                }
                i++;
            }
        }
        else if (g.ValueKind != JsonValueKind.Null)
        {
            throw new InvalidDataException($"{name}: \"hard_negative_groups\" must be an object {{kind: [accounts]}}.");
        }
    }

    private static void Add(Dictionary<string, List<string>> groups, string kind, string account)
    {
        if (!groups.TryGetValue(kind, out List<string>? list))
        {
            groups[kind] = list = [];
        }
        list.Add(account);
    }

    private static string? TryString(JsonElement e, string property) =>
        e.TryGetProperty(property, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> ReadStrings(JsonElement array, string name, string what)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{name}: \"{what}\" must be an array of account strings.");
        }
        var list = new List<string>(array.GetArrayLength());
        foreach (JsonElement e in array.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{name}: \"{what}\" must hold only strings; found {e.ValueKind}.");
            }
            list.Add(e.GetString()!);
        }
        return list;
    }
}
