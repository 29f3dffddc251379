using System.Globalization;
using DistillDetect.Cli.Reports;

namespace DistillDetect.Cli.Scanning;

/// <summary>The readable parts of a scan: the one-paragraph summary and a short table of campaigns.</summary>
internal static class ScanSummaryWriter
{
    /// <summary>Campaign rows shown in the table; the JSON report has all of them.</summary>
    public const int MaxCampaignRows = 10;

    /// <summary>
    /// Writes what was read and found: exchanges, accounts, malformed lines, MB and MB/s, exchanges/s,
    /// campaigns, flagged accounts and out-of-order arrivals.
    /// </summary>
    public static void WriteSummary(TextWriter w, string command, ScanReport report, long outOfOrder, TimeSpan elapsed)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        InputSummary input = report.Input;
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        w.WriteLine(string.Create(c,
            $"{command}: {input.Exchanges:N0} exchanges from {input.Accounts:N0} accounts ({input.Bytes / 1e6:0.0} MB, {input.Malformed:N0} malformed lines skipped) in {elapsed.TotalSeconds:0.0} s: {input.Bytes / 1e6 / seconds:0.0} MB/s, {input.Exchanges / seconds:N0} exchanges/s."));
        w.WriteLine(string.Create(c,
            $"{command}: {report.Campaigns.Count:N0} campaign{(report.Campaigns.Count == 1 ? "" : "s")} found, {report.Accounts.Count:N0} account{(report.Accounts.Count == 1 ? "" : "s")} flagged; {outOfOrder:N0} exchanges arrived out of time order for their account{(outOfOrder > 0 ? " (counted as zero gaps by the timing statistics; --replay sorts by time)" : "")}."));
    }

    /// <summary>Writes a table of the highest-scoring campaigns (at most <see cref="MaxCampaignRows"/>).</summary>
    public static void WriteCampaignTable(TextWriter w, IReadOnlyList<CampaignEntry> campaigns)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        if (campaigns.Count == 0)
        {
            w.WriteLine("no campaign found.");
            return;
        }
        w.WriteLine(string.Create(c, $"{"campaign",-14} {"score",6} {"accounts",9} {"exchanges",11} {"templates",9}  {"first seen",-17} {"last seen",-17}  example"));
        int shown = Math.Min(campaigns.Count, MaxCampaignRows);
        for (int i = 0; i < shown; i++)
        {
            CampaignEntry e = campaigns[i];
            string example = e.Templates.Count > 0 && e.Templates[0].Example is { } text ? Shorten(text, 60) : "";
            w.WriteLine(string.Create(c,
                $"{e.Id,-14} {e.Score,6:0.000} {e.Accounts.Count,9:N0} {e.Exchanges,11:N0} {e.Templates.Count,9:N0}  {Time(e.FirstSeen),-17} {Time(e.LastSeen),-17}  {example}"));
        }
        if (campaigns.Count > shown)
        {
            w.WriteLine(string.Create(c, $"... and {campaigns.Count - shown:N0} more in the JSON report."));
        }
    }

    private static string Time(DateTimeOffset? t) =>
        t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";

    private static string Shorten(string text, int max)
    {
        Span<char> buffer = stackalloc char[max];
        int n = 0;
        bool space = false;
        foreach (char ch in text)
        {
            if (n == max)
            {
                break;
            }
            bool isSpace = char.IsWhiteSpace(ch) || char.IsControl(ch);
            if (isSpace)
            {
                if (!space && n > 0)
                {
                    buffer[n++] = ' ';
                }
                space = true;
                continue;
            }
            space = false;
            buffer[n++] = ch;
        }
        string s = new(buffer[..n]);
        return text.Length > n ? "\"" + s + "...\"" : "\"" + s + "\"";
    }
}
