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
/// dictionary slot) per template seen since the last sweep, plus, once a template has a second user, a list of
/// <see cref="MaxUsers"/> references (8 B each) and a row of as many account ordinals (4 B each) in its stripe's
/// table of shared templates, which <see cref="CopyNarrow"/> reads without touching the entries or the accounts (it
/// once followed every listed account's reference: 16 ms per analysis for 34,000 shared templates at the development
/// scale). Entries of templates the index no longer holds are swept when a stripe grows past twice its share of
/// <see cref="TemplateIndexOptions.MaxTemplates"/>, so the whole stays within a few times the template index's own
/// bound. Allocates on the first use of a template, when it gains its second user, and when a stripe's table grows.
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
        for (int i = 0; i < StripeCount; i++) _stripes[i] = new Stripe(maxUsers);
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
                stripe.Entries[templateId] = new Entry(templateId, account);
                return;
            }
            stripe.Add(entry, account);
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
                    stripe.Entries[templateId] = entry = new Entry(templateId, a);
                    continue;
                }
                stripe.Add(entry, a);
            }
            if (!wide) return;
            if (entry is null && !stripe.Entries.TryGetValue(templateId, out entry)) stripe.Entries[templateId] = entry = new Entry(templateId, null);
            stripe.MakeWide(entry);
        }
    }

    /// <summary>
    /// For every template the index still holds with at most <paramref name="maxUsers"/> recorded users (narrow) of which
    /// at least two are among <paramref name="takingPart"/> (the shared-task rule's accounts): its id to
    /// <paramref name="ids"/>, those users' positions in <paramref name="takingPart"/> to <paramref name="users"/>, and
    /// where they end there to <paramref name="ends"/>, in no particular order. Reads the stripes' tables of shared
    /// templates (account ordinals, contiguous), not the entries; each stripe (a 1,024th of the templates) is locked
    /// only while it is read, so a request recording into it waits for at most that.
    /// </summary>
    /// <param name="maxUsers">Most users a template may have and be copied (at most <see cref="MaxUsers"/>).</param>
    /// <param name="takingPart">The accounts whose narrow templates are copied.</param>
    /// <param name="ids">Receives the copied templates' ids.</param>
    /// <param name="ends">Receives where each copied template's users end in <paramref name="users"/>.</param>
    /// <param name="users">Receives the copied templates' users (positions in <paramref name="takingPart"/>).</param>
    /// <param name="candidates">Optional: accounts outside <paramref name="takingPart"/> to check against the copied
    /// templates in the same pass (see <see cref="SharedTaskCandidates"/>).</param>
    public void CopyNarrow(int maxUsers, IReadOnlyList<AccountState> takingPart, List<long> ids, List<int> ends, List<int> users,
        SharedTaskCandidates? candidates = null)
    {
        var positions = new OrdinalPositions(takingPart);
        OrdinalPositions candidatePositions = candidates is null ? default : new OrdinalPositions(candidates.Accounts);
        Span<int> found = stackalloc int[MaxUsers];
        Span<int> foundCandidates = stackalloc int[candidates is null ? 0 : MaxUsers];
        int passes = _templates.EvictionPasses;
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                int width = stripe.Width;
                for (int row = 0; row < stripe.Rows; row++)
                {
                    int count = stripe.Counts[row];
                    if (count < 2 || count > maxUsers) continue;
                    // Most listed users do not take part: kept without a branch on each (position -1 is overwritten).
                    int kept = 0;
                    int extra = 0;
                    foreach (int ordinal in stripe.Ordinals.AsSpan(row * width, count))
                    {
                        int k = positions.Find(ordinal);
                        found[kept] = k;
                        kept += (int)((uint)~k >> 31);
                        if (candidates is null || k >= 0) continue;
                        int c = candidatePositions.Find(ordinal);
                        foundCandidates[extra] = c;
                        extra += (int)((uint)~c >> 31);
                    }
                    // A template the index has evicted no longer counts (as if swept). The index is asked again only
                    // after an eviction pass (a dictionary lookup was a third of this method's time).
                    if (kept + extra < 2) continue;
                    long id = stripe.Ids[row];
                    if (stripe.AliveAt[row] != passes)
                    {
                        if (!_templates.IsAlive(id)) continue;
                        stripe.AliveAt[row] = passes;
                    }
                    if (extra > 0) candidates!.Record(foundCandidates[..extra], found[..kept], kept >= 2 ? ids.Count : -1);
                    if (kept < 2) continue;
                    users.AddRange(found[..kept]);
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
            if (!_templates.TryGetTemplate(id, out _))
            {
                stripe.Entries.Remove(id);
                stripe.Release(entry);
            }
            else stripe.RemoveEvicted(entry);
        }
    }

    private Stripe StripeOf(long templateId) => _stripes[(int)((ulong)templateId * 0x9E3779B97F4A7C15UL >> 54)];

    /// <summary>
    /// One stripe: its entries, and a table with a row per template that has two users or more (<see cref="Entry.Row"/>):
    /// the template id, its user count and its users' <see cref="AccountState.Ordinal"/>s, which mirror
    /// <see cref="Entry.Users"/>. Every method runs under <see cref="Gate"/>.
    /// </summary>
    private sealed class Stripe(int width)
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<long, Entry> Entries = [];
        /// <summary>Most users a template keeps before it grows wide (<see cref="MaxUsers"/>), and the table's row width.</summary>
        public readonly int Width = width;
        public long[] Ids = [];
        public int[] Counts = [];

        /// <summary>The template index's <see cref="TemplateIndex.EvictionPasses"/> when the row's template was last found alive, else -1.</summary>
        public int[] AliveAt = [];
        public int[] Ordinals = [];

        /// <summary>Rows in use or freed (a freed row has count 0 and is on <see cref="_free"/>).</summary>
        public int Rows;

        private readonly Stack<int> _free = new();

        public void Add(Entry entry, AccountState account)
        {
            if (entry.Wide) return;
            if (entry.Users is null)
            {
                if (ReferenceEquals(entry.First, account)) return;
                if (entry.First is null)
                {
                    entry.First = account;
                    entry.Count = 1;
                    return;
                }
                entry.Users = new AccountState?[Width];
                entry.Users[0] = entry.First;
                entry.Users[1] = account;
                entry.Count = 2;
                entry.Row = Take(entry.TemplateId);
                Mirror(entry);
                return;
            }
            for (int i = 0; i < entry.Count; i++)
            {
                if (ReferenceEquals(entry.Users[i], account)) return;
            }
            if (entry.Count == Width)
            {
                MakeWide(entry);
                return;
            }
            Ordinals[entry.Row * Width + entry.Count] = account.Ordinal;
            entry.Users[entry.Count++] = account;
            Counts[entry.Row] = entry.Count;
        }

        public void MakeWide(Entry entry)
        {
            Release(entry);
            entry.Wide = true;
            entry.Users = null;
            entry.First = null;
            entry.Count = Width + 1;
        }

        public void RemoveEvicted(Entry entry)
        {
            if (entry.Wide) return;
            if (entry.Users is null)
            {
                if (entry.First is { Evicted: true }) (entry.First, entry.Count) = (null, 0);
                return;
            }
            int kept = 0;
            for (int i = 0; i < entry.Count; i++)
            {
                if (entry.Users[i] is { Evicted: false } u) entry.Users[kept++] = u;
            }
            Array.Clear(entry.Users, kept, entry.Count - kept);
            entry.Count = kept;
            if (kept <= 1)
            {
                entry.First = kept == 1 ? entry.Users[0] : null;
                entry.Users = null;
                Release(entry);
                return;
            }
            Mirror(entry);
        }

        /// <summary>Frees the entry's row, if it has one.</summary>
        public void Release(Entry entry)
        {
            if (entry.Row < 0) return;
            Counts[entry.Row] = 0;
            _free.Push(entry.Row);
            entry.Row = -1;
        }

        private int Take(long templateId)
        {
            if (!_free.TryPop(out int row))
            {
                if (Rows == Counts.Length)
                {
                    int capacity = Math.Max(4, 2 * Rows);
                    Array.Resize(ref Ids, capacity);
                    Array.Resize(ref Counts, capacity);
                    Array.Resize(ref AliveAt, capacity);
                    Array.Resize(ref Ordinals, capacity * Width);
                }
                row = Rows++;
            }
            Ids[row] = templateId;
            AliveAt[row] = -1;
            return row;
        }

        private void Mirror(Entry entry)
        {
            Span<int> ordinals = Ordinals.AsSpan(entry.Row * Width, Width);
            for (int i = 0; i < entry.Count; i++) ordinals[i] = entry.Users![i]!.Ordinal;
            Counts[entry.Row] = entry.Count;
        }
    }

    private sealed class Entry(long templateId, AccountState? first)
    {
        public readonly long TemplateId = templateId;
        public AccountState? First = first;
        public AccountState?[]? Users;
        public int Count = first is null ? 0 : 1;
        public bool Wide;

        /// <summary>Its row in the stripe's table while it has two users or more (<see cref="Users"/> set), else -1.</summary>
        public int Row = -1;
    }

    /// <summary>
    /// Open-addressing map from an account's <see cref="AccountState.Ordinal"/> to its position in a list (a few probes
    /// in an array of about four times the list's length, instead of a reference followed per listed user).
    /// </summary>
    private readonly struct OrdinalPositions
    {
        private readonly int[] _ordinals;
        private readonly int[] _positions;
        private readonly int _shift;

        public OrdinalPositions(IReadOnlyList<AccountState> accounts)
        {
            int bits = Math.Max(4, 2 + (int)Math.Ceiling(Math.Log2(Math.Max(1, accounts.Count))));
            _shift = 32 - bits;
            _ordinals = new int[1 << bits];
            _positions = new int[1 << bits];
            _positions.AsSpan().Fill(-1);
            int mask = (1 << bits) - 1;
            for (int k = 0; k < accounts.Count; k++)
            {
                int ordinal = accounts[k].Ordinal;
                int slot = Slot(ordinal);
                while (_positions[slot] >= 0) slot = (slot + 1) & mask;
                _ordinals[slot] = ordinal;
                _positions[slot] = k;
            }
        }

        private int Slot(int ordinal) => (int)((uint)ordinal * 0x9E3779B9u >> _shift);

        /// <summary>The position of the account with <paramref name="ordinal"/>, or -1.</summary>
        public int Find(int ordinal)
        {
            int mask = _positions.Length - 1;
            for (int slot = Slot(ordinal); ; slot = (slot + 1) & mask)
            {
                int k = _positions[slot];
                if (k < 0 || _ordinals[slot] == ordinal) return k;
            }
        }
    }
}
