namespace DistillDetect.Cli.Reports;

/// <summary>Scores a <see cref="ScanReport"/> against a <see cref="GroundTruth"/> at account level.</summary>
internal static class Evaluator
{
    /// <summary>
    /// Computes precision, recall, F1, hard-negative and campaign counts and, when the report has a
    /// <see cref="ScanReport.Replay"/>, the replay figures. O(accounts in report + truth + activity).
    /// Every account listed in <see cref="ScanReport.Accounts"/> counts as flagged (duplicates once).
    /// </summary>
    public static EvaluationResult Evaluate(ScanReport report, GroundTruth truth)
    {
        var flagged = new Dictionary<string, AccountEntry>(StringComparer.Ordinal);
        foreach (AccountEntry a in report.Accounts ?? [])
        {
            if (a?.Account is { } name)
            {
                flagged.TryAdd(name, a);
            }
        }
        long tp = 0;
        foreach (string account in flagged.Keys)
        {
            if (truth.CampaignAccounts.Contains(account))
            {
                tp++;
            }
        }
        long fp = flagged.Count - tp;
        long fn = truth.CampaignAccounts.Count - tp;
        double? precision = flagged.Count == 0 ? null : (double)tp / flagged.Count;
        double? recall = truth.CampaignAccounts.Count == 0 ? null : (double)tp / truth.CampaignAccounts.Count;
        double? f1 = precision is double p && recall is double r ? (p + r == 0 ? 0 : 2 * p * r / (p + r)) : null;

        long campaignsDetected = 0;
        foreach (List<string> accounts in truth.Campaigns.Values)
        {
            if (AnyFlagged(accounts, flagged))
            {
                campaignsDetected++;
            }
        }

        var groups = new List<HardNegativeGroupResult>();
        long groupsFlagged = 0;
        foreach ((string kind, List<string> accounts) in truth.HardNegativeGroups)
        {
            var distinct = new HashSet<string>(accounts, StringComparer.Ordinal);
            long hit = 0;
            foreach (string a in distinct)
            {
                if (flagged.ContainsKey(a))
                {
                    hit++;
                }
            }
            groups.Add(new HardNegativeGroupResult { Kind = kind, Accounts = distinct.Count, Flagged = hit });
            if (hit > 0)
            {
                groupsFlagged++;
            }
        }
        groups.Sort((x, y) => string.CompareOrdinal(x.Kind, y.Kind));
        long hardFlagged = 0;
        foreach (string a in truth.HardNegativeAccounts)
        {
            if (flagged.ContainsKey(a))
            {
                hardFlagged++;
            }
        }

        return new EvaluationResult
        {
            FlaggedAccounts = flagged.Count,
            CampaignAccounts = truth.CampaignAccounts.Count,
            TruePositives = tp,
            FalsePositives = fp,
            FalseNegatives = fn,
            Precision = precision,
            Recall = recall,
            F1 = f1,
            CampaignsDetected = campaignsDetected,
            CampaignsTotal = truth.Campaigns.Count,
            HardNegativeAccounts = truth.HardNegativeAccounts.Count,
            HardNegativeAccountsFlagged = hardFlagged,
            HardNegativeGroups = groups,
            HardNegativeGroupsFlagged = groupsFlagged,
            Replay = report.Replay is { } replay ? EvaluateReplay(replay, flagged, truth) : null,
        };
    }

    private static ReplayEvaluation EvaluateReplay(ReplaySummary replay, Dictionary<string, AccountEntry> flagged, GroundTruth truth)
    {
        DateTimeOffset? campaignStart = null;
        long exchanges = 0, before = 0;
        IReadOnlyList<AccountActivity> activity = replay.Activity ?? [];
        foreach (AccountActivity a in activity)
        {
            if (a is null || !truth.CampaignAccounts.Contains(a.Account))
            {
                continue;
            }
            if (campaignStart is null || a.FirstSeen < campaignStart)
            {
                campaignStart = a.FirstSeen;
            }
            exchanges += a.Exchanges;
            before += flagged.TryGetValue(a.Account, out AccountEntry? e) && e.FirstFlagged is not null
                ? Math.Min(e.ExchangesBeforeFlagged ?? a.Exchanges, a.Exchanges)
                : a.Exchanges;
        }
        DateTimeOffset start = campaignStart ?? replay.Start;
        DateTimeOffset? firstAlert = null;
        foreach ((string account, AccountEntry e) in flagged)
        {
            if (e.FirstFlagged is { } t && truth.CampaignAccounts.Contains(account) && (firstAlert is null || t < firstAlert))
            {
                firstAlert = t;
            }
        }
        return new ReplayEvaluation
        {
            CampaignStart = start,
            FirstCampaignAlert = firstAlert,
            TimeToFirstAlertHours = firstAlert is { } f ? (f - start).TotalHours : null,
            CampaignExchanges = exchanges,
            CampaignExchangesBeforeFlagged = before,
            ShareServedBeforeFlagged = exchanges == 0 ? null : (double)before / exchanges,
        };
    }

    private static bool AnyFlagged(List<string> accounts, Dictionary<string, AccountEntry> flagged)
    {
        foreach (string a in accounts)
        {
            if (flagged.ContainsKey(a))
            {
                return true;
            }
        }
        return false;
    }
}
