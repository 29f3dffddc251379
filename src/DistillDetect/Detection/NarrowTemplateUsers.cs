using DistillDetect.Fingerprints;

namespace DistillDetect.Detection;

/// <summary>
/// Per template, the accounts that used it while it stays narrow: up to <see cref="MaxUsers"/> distinct accounts;
/// a template that gains one more is marked wide and its list dropped (a popular prompt pasted by many is evidence
/// of no cohort). Lets the analysis find accounts that keep sending the same payloads as one another even when
/// each spreads its traffic over hundreds of templates (a campaign whose wrappers are reworded, so that its prompts
/// group by task).
/// </summary>
/// <remarks>
/// Thread-safe: striped by template id (1,024 stripes), one short lock per <see cref="Record"/>. Memory: an entry (about 64 B with its
/// dictionary slot) per template seen since the last sweep, plus a list of <see cref="MaxUsers"/> references (8 B each)
/// once a template has a second user. Entries of templates the index no longer holds are swept when a stripe grows
/// past twice its share of <see cref="TemplateIndexOptions.MaxTemplates"/>, so the whole stays within a few times
/// the template index's own bound. Allocates on the first use of a template and when it gains its second user.
/// </remarks>
internal sealed class NarrowTemplateUsers
{
    private const int StripeCount = 1024;

    private readonly Stripe[] _stripes;
    private readonly TemplateIndex _templates;
    private readonly int _sweepAbove;

    public NarrowTemplateUsers(TemplateIndex templates, int maxUsers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUsers, 2);
        _templates = templates;
        MaxUsers = maxUsers;
        _sweepAbove = Math.Max(64, 2 * templates.Options.MaxTemplates / StripeCount);
        _stripes = new Stripe[StripeCount];
        for (int i = 0; i < StripeCount; i++) _stripes[i] = new Stripe();
    }

    /// <summary>Distinct accounts a template may have and still be narrow.</summary>
    public int MaxUsers { get; }

    /// <summary>Records that <paramref name="account"/> used template <paramref name="templateId"/>. O(<see cref="MaxUsers"/>).</summary>
    public void Record(long templateId, AccountState account)
    {
        Stripe stripe = StripeOf(templateId);
        lock (stripe.Gate)
        {
            if (!stripe.Entries.TryGetValue(templateId, out Entry? entry))
            {
                if (stripe.Entries.Count >= _sweepAbove) Sweep(stripe);
                stripe.Entries[templateId] = new Entry(account);
                return;
            }
            entry.Add(account, MaxUsers);
        }
    }

    /// <summary>Adds another detector's users of a template (merge): <paramref name="wide"/> marks the template wide.</summary>
    public void RecordAll(long templateId, bool wide, IEnumerable<AccountState> accounts)
    {
        Stripe stripe = StripeOf(templateId);
        lock (stripe.Gate)
        {
            Entry? entry = null;
            foreach (AccountState a in accounts)
            {
                if (entry is null && !stripe.Entries.TryGetValue(templateId, out entry))
                {
                    stripe.Entries[templateId] = entry = new Entry(a);
                    continue;
                }
                entry.Add(a, MaxUsers);
            }
            if (!wide) return;
            if (entry is null && !stripe.Entries.TryGetValue(templateId, out entry)) stripe.Entries[templateId] = entry = new Entry(null);
            entry.MakeWide(MaxUsers);
        }
    }

    /// <summary>
    /// For every template the index still holds with at most <paramref name="maxUsers"/> recorded users (narrow) of which at least two take part
    /// in the shared-task rule (<see cref="AccountState.SharedTaskIndex"/> set): its id to <paramref name="ids"/>, those
    /// users' indices to <paramref name="users"/>, and where they end there to <paramref name="ends"/>. Each stripe (a
    /// 1,024th of the templates) is locked only while it is read, so a request recording into it waits for at most that.
    /// Call under the detector's analysis lock (it reads the indices the analysis set).
    /// </summary>
    public void CopyNarrow(int maxUsers, List<long> ids, List<int> ends, List<int> users)
    {
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                foreach ((long id, Entry entry) in stripe.Entries)
                {
                    if (entry.Users is null || entry.Wide || entry.Count > maxUsers) continue;
                    int start = users.Count;
                    for (int i = 0; i < entry.Count; i++)
                    {
                        int k = entry.Users[i]!.SharedTaskIndex;
                        if (k >= 0) users.Add(k);
                    }
                    // A template the index has evicted no longer counts (as if swept).
                    if (users.Count - start < 2 || !_templates.IsAlive(id))
                    {
                        users.RemoveRange(start, users.Count - start);
                        continue;
                    }
                    ids.Add(id);
                    ends.Add(users.Count);
                }
            }
        }
    }

    /// <summary>
    /// Every entry (narrow or wide, one user or more), for serialization, by template id: id, wide, users (empty when
    /// wide). Drops the entries of templates the index no longer holds, and evicted accounts, first.
    /// </summary>
    public List<(long TemplateId, bool Wide, AccountState[] Users)> Snapshot()
    {
        var list = new List<(long, bool, AccountState[])>();
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                Sweep(stripe);
                foreach ((long id, Entry entry) in stripe.Entries)
                {
                    AccountState[] users = entry.Wide ? []
                        : entry.Users is not null ? [.. entry.Users.AsSpan(0, entry.Count)!]
                        : entry.First is null ? [] : [entry.First];
                    list.Add((id, entry.Wide, users));
                }
            }
        }
        list.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    private void Sweep(Stripe stripe)
    {
        foreach ((long id, Entry entry) in stripe.Entries)
        {
            if (!_templates.TryGetTemplate(id, out _)) stripe.Entries.Remove(id);
            else entry.RemoveEvicted();
        }
    }

    private Stripe StripeOf(long templateId) => _stripes[(int)((ulong)templateId * 0x9E3779B97F4A7C15UL >> 54)];

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<long, Entry> Entries = [];
    }

    private sealed class Entry(AccountState? first)
    {
        public AccountState? First = first;
        public AccountState?[]? Users;
        public int Count = first is null ? 0 : 1;
        public bool Wide;

        public void Add(AccountState account, int max)
        {
            if (Wide) return;
            if (Users is null)
            {
                if (ReferenceEquals(First, account)) return;
                if (First is null)
                {
                    First = account;
                    Count = 1;
                    return;
                }
                Users = new AccountState?[max];
                Users[0] = First;
                Users[1] = account;
                Count = 2;
                return;
            }
            for (int i = 0; i < Count; i++)
            {
                if (ReferenceEquals(Users[i], account)) return;
            }
            if (Count == max)
            {
                MakeWide(max);
                return;
            }
            Users[Count++] = account;
        }

        public void MakeWide(int max)
        {
            Wide = true;
            Users = null;
            First = null;
            Count = max + 1;
        }

        public void RemoveEvicted()
        {
            if (Wide) return;
            if (Users is null)
            {
                if (First is { Evicted: true }) (First, Count) = (null, 0);
                return;
            }
            int kept = 0;
            for (int i = 0; i < Count; i++)
            {
                if (Users[i] is { Evicted: false } u) Users[kept++] = u;
            }
            Array.Clear(Users, kept, Count - kept);
            Count = kept;
            if (kept <= 1)
            {
                First = kept == 1 ? Users[0] : null;
                Users = null;
            }
        }
    }
}
