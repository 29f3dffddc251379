using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DistillDetect.Accounts;
using DistillDetect.Fingerprints;

namespace DistillDetect.Detection;

/// <summary>
/// Detects distillation campaigns in a stream of API requests. Composes the library's layers: each request's
/// prompt is grouped into a template (<see cref="TemplateIndex"/>), each account keeps a compact profile
/// (<see cref="AccountProfile"/>: templates, synchronized activity, hours, timing, lifetime), and
/// <see cref="Analyze"/> finds cohorts of alike accounts (<see cref="CohortFinder"/>) and applies the campaign
/// rule (see <see cref="DetectionOptions"/>).
/// </summary>
/// <remarks>
/// <para><b>Request path.</b> <see cref="Observe(ReadOnlySpan{char}, DateTimeOffset, ReadOnlySpan{char})"/> is
/// called on every request by any number of threads. It assigns the template (the template index is striped
/// and lock-free for known templates), finds the account without allocating (a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> alternate lookup by <see cref="ReadOnlySpan{T}"/>), updates
/// that account's state under the account's own lock, adds the account to the template's user list while the
/// template is narrow (a lock on one of 1,024 stripes; see <see cref="DetectionOptions.NarrowTemplateMaxAccounts"/>),
/// reads the campaign-template map published by the last analysis (an immutable map behind one reference) and
/// returns a <see cref="RequestVerdict"/>. There is no global lock on this path; it allocates only on the first
/// sight of an account (its key string and state, about 2.9 KB), when a prompt founds a new template in the
/// template index (and the template's user entry, about 64 B), and when a template gains its second account (its
/// user list, 8 B per allowed user).</para>
/// <para><b>Linking new accounts.</b> When an unflagged account has sent k =
/// <see cref="DetectionOptions.LinkAfterExchanges"/> (default 3) exchanges on templates tied to a known campaign,
/// and they are at least <see cref="DetectionOptions.AccountConcentration"/> of its exchanges, the request that
/// reaches k links the account to that campaign: a brand-new account of a known campaign is flagged at its
/// third request on the campaign's templates.</para>
/// <para><b>Analysis.</b> <see cref="Analyze"/> may run on a background thread while requests are observed: it
/// copies each account's state under that account's lock (a few microseconds each, never all accounts at once),
/// then works on the copies. One analysis runs at a time (a second caller waits).</para>
/// <para><b>Time.</b> Exchange times come with each request (the overloads without one read the
/// <see cref="TimeProvider"/>); analysis and eviction reason in exchange time, so replaying old logs works; the
/// <see cref="TimeProvider"/> stamps reports.</para>
/// <para><b>Memory.</b> See <see cref="DetectionOptions.MaxAccounts"/> (eviction of the least recently seen
/// unflagged accounts), <see cref="TemplateIndexOptions.MaxTemplates"/> and <see cref="DetectionOptions.NarrowTemplateMaxAccounts"/>.</para>
/// </remarks>
public sealed partial class DistillationDetector
{
    /// <summary>An eviction pass removes this share of the cap (one sixteenth), so its O(n log n) cost is paid once per n/16 new accounts.</summary>
    private const int EvictionDivisor = 16;

    private readonly DetectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly TemplateIndex _templates;
    private readonly CohortFinder _cohortFinder;
    private readonly NarrowTemplateUsers _narrow;
    private readonly ConcurrentDictionary<string, AccountState> _accounts;
    private readonly ConcurrentDictionary<string, AccountState>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Lock _evictionLock = new();
    private readonly Lock _analysisLock = new();
    private CampaignMap _campaignMap = CampaignMap.Empty;
    private int _accountCount;
    private long _exchanges;
    private long _evicted;

    /// <summary>Creates an empty detector.</summary>
    /// <param name="options">Parameters; null for <see cref="DetectionOptions.Default"/>.</param>
    /// <param name="timeProvider">Clock for reports and the overloads without a timestamp; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range (see <see cref="DetectionOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException">A nested option is null.</exception>
    public DistillationDetector(DetectionOptions? options = null, TimeProvider? timeProvider = null)
        : this(options ?? DetectionOptions.Default, timeProvider ?? TimeProvider.System, null)
    {
    }

    private DistillationDetector(DetectionOptions options, TimeProvider timeProvider, TemplateIndex? templates)
    {
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _templates = templates ?? new TemplateIndex(options.Templates);
        _cohortFinder = new CohortFinder(options.Cohorts);
        _narrow = new NarrowTemplateUsers(_templates, options.NarrowTemplateMaxAccounts);
        _accounts = new ConcurrentDictionary<string, AccountState>(Environment.ProcessorCount, 1024, StringComparer.Ordinal);
        _lookup = _accounts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The parameters.</summary>
    public DetectionOptions Options => _options;

    /// <summary>The clock of this detector.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The template index the detector groups prompts with (read-only use; thread-safe).</summary>
    public TemplateIndex Templates => _templates;

    /// <summary>Accounts currently tracked (at most <see cref="DetectionOptions.MaxAccounts"/>). O(1).</summary>
    public int AccountCount => Volatile.Read(ref _accountCount);

    /// <summary>Exchanges observed so far, merged-in ones included. O(1).</summary>
    public long ExchangeCount => Interlocked.Read(ref _exchanges);

    /// <summary>Accounts evicted so far. O(1).</summary>
    public long EvictedCount => Interlocked.Read(ref _evicted);

    /// <summary>Templates currently tied to a campaign (read by the request path). O(1).</summary>
    public int CampaignTemplateCount => Volatile.Read(ref _campaignMap).TemplateCount;

    /// <summary>
    /// Observes one request: assigns its prompt's template, updates the account's profile, and returns at once
    /// what is known about the request.
    /// </summary>
    /// <param name="account">The account (API key) id; compared ordinally.</param>
    /// <param name="timestamp">When the request arrived (any offset; converted to UTC). Need not be in order.</param>
    /// <param name="prompt">The prompt; any UTF-16, any length.</param>
    /// <returns>The verdict for this request.</returns>
    /// <remarks>Thread-safe for any number of concurrent callers; no global lock; allocates nothing for a known
    /// account whose prompt joins a known template it has used before, or one with more than one user already. Cost: the template assignment (a few microseconds for a 2 KB
    /// prompt) plus O(profile) work. Never throws for any input.</remarks>
    [SkipLocalsInit]
    public RequestVerdict Observe(ReadOnlySpan<char> account, DateTimeOffset timestamp, ReadOnlySpan<char> prompt)
    {
        long ticks = timestamp.UtcTicks;
        long templateId = _templates.Assign(prompt);
        CampaignMap map = Volatile.Read(ref _campaignMap);
        int templateCampaign = map.CampaignOf(templateId);
        Interlocked.Increment(ref _exchanges);
        AccountState state;
        RequestVerdict verdict;
        while (true)
        {
            state = GetOrAdd(account);
            lock (state.Gate)
            {
                // Evicted between lookup and lock: add the account again rather than lose the exchange.
                if (state.Evicted) continue;
                verdict = ObserveLocked(state, templateId, ticks, templateCampaign, map);
                break;
            }
        }
        _narrow.Record(templateId, state);
        return verdict;
    }

    /// <summary>Observes one request (string form). Thin wrapper over <see cref="Observe(ReadOnlySpan{char}, DateTimeOffset, ReadOnlySpan{char})"/>.</summary>
    /// <param name="account">The account id.</param>
    /// <param name="timestamp">When the request arrived.</param>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The verdict for this request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="account"/> or <paramref name="prompt"/> is null.</exception>
    public RequestVerdict Observe(string account, DateTimeOffset timestamp, string prompt)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(prompt);
        return Observe(account.AsSpan(), timestamp, prompt.AsSpan());
    }

    /// <summary>Observes one request arriving now (the <see cref="TimeProvider"/>'s UTC time). See <see cref="Observe(ReadOnlySpan{char}, DateTimeOffset, ReadOnlySpan{char})"/>.</summary>
    /// <param name="account">The account id.</param>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The verdict for this request.</returns>
    public RequestVerdict Observe(ReadOnlySpan<char> account, ReadOnlySpan<char> prompt) =>
        Observe(account, _timeProvider.GetUtcNow(), prompt);

    private RequestVerdict ObserveLocked(AccountState state, long templateId, long ticks, int templateCampaign, CampaignMap map)
    {
        state.Profile.Observe(templateId, ticks);
        state.Version++;
        state.Exchanges++;
        state.ObserveTiming(ticks);
        if (templateCampaign != 0)
        {
            state.CampaignHits++;
            if (state.CampaignId == 0
                && state.CampaignHits >= _options.LinkAfterExchanges
                && state.CampaignHits >= _options.AccountConcentration * state.Exchanges)
            {
                double share = (double)state.CampaignHits / state.Exchanges;
                state.CampaignId = templateCampaign;
                state.Reason = FlagReason.RequestPath;
                state.CampaignShare = share;
                state.Score = map.ScoreOf(templateCampaign) * share;
                state.FirstFlaggedTicks = ticks;
                state.ExchangesBeforeFlagged = state.Exchanges - 1;
            }
        }
        if (state.CampaignId != 0)
        {
            return new RequestVerdict(templateId, templateCampaign != 0, state.CampaignId, true, state.Score);
        }
        double score = 0;
        if (templateCampaign != 0)
        {
            double progress = Math.Min(1.0, (double)state.CampaignHits / _options.LinkAfterExchanges);
            score = map.ScoreOf(templateCampaign) * progress * state.CampaignHits / state.Exchanges;
        }
        return new RequestVerdict(templateId, templateCampaign != 0, templateCampaign, false, score);
    }

    /// <summary>Test hook: the exchanges of every tracked account, summed under each account's lock.</summary>
    internal long SumTrackedExchanges()
    {
        long sum = 0;
        foreach (KeyValuePair<string, AccountState> pair in _accounts)
        {
            lock (pair.Value.Gate)
            {
                if (!pair.Value.Evicted) sum += pair.Value.Exchanges;
            }
        }
        return sum;
    }

    /// <summary>Test hook: whether the account is tracked and, if so, its campaign (0 when unflagged).</summary>
    internal bool TryGetCampaign(string account, out int campaignId)
    {
        campaignId = 0;
        if (!_accounts.TryGetValue(account, out AccountState? state)) return false;
        lock (state.Gate) campaignId = state.CampaignId;
        return true;
    }

    /// <summary>Test hook: one line describing the account's state (volume, timing, top templates and whether they are campaign templates).</summary>
    internal string DescribeAccount(string account)
    {
        if (!_accounts.TryGetValue(account, out AccountState? state)) return "not tracked";
        AccountSnapshotData snap;
        lock (state.Gate) snap = state.Copy();
        CampaignMap map = Volatile.Read(ref _campaignMap);
        Span<TemplateUsage> top = stackalloc TemplateUsage[64];
        int count = snap.Profile.GetTopTemplates(top);
        var text = new System.Text.StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"exchanges {snap.Exchanges}, campaign hits {snap.CampaignHits}, burstiness {snap.Burstiness:F2}, life {snap.Profile.LifetimeSeconds / 3600.0:F1} h, distinct {snap.Profile.DistinctTemplates:F0}, top");
        for (int i = 0; i < count; i++) text.Append(System.Globalization.CultureInfo.InvariantCulture, $" {top[i].TemplateId}:{top[i].Count}{(map.CampaignOf(top[i].TemplateId) != 0 ? "*" : "")}");
        return text.ToString();
    }

    /// <summary>Test hook: the exchanges of a tracked account (0 when not tracked).</summary>
    internal long TrackedExchanges(string account)
    {
        if (!_accounts.TryGetValue(account, out AccountState? state)) return 0;
        lock (state.Gate) return state.Exchanges;
    }

    /// <summary>Test hook: the similarity explanation of two tracked accounts.</summary>
    internal string DescribeSimilarity(string first, string second)
    {
        if (!_accounts.TryGetValue(first, out AccountState? a) || !_accounts.TryGetValue(second, out AccountState? b)) return "not tracked";
        AccountSnapshotData x, y;
        lock (a.Gate) x = a.Copy();
        lock (b.Gate) y = b.Copy();
        return AccountSimilarity.Explain(x.Profile, y.Profile, _options.Cohorts.Weights).ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private AccountState GetOrAdd(ReadOnlySpan<char> account)
    {
        if (_lookup.TryGetValue(account, out AccountState? state)) return state;
        return Add(account);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private AccountState Add(ReadOnlySpan<char> account)
    {
        string name = account.ToString();
        var created = new AccountState(name, _options.Profiles);
        AccountState state = _accounts.GetOrAdd(name, created);
        if (ReferenceEquals(state, created) && Interlocked.Increment(ref _accountCount) > _options.MaxAccounts)
        {
            Evict(state);
        }
        return state;
    }

    /// <summary>
    /// Evicts the least recently seen sixteenth of the cap among unflagged accounts (flagged ones only when
    /// nothing else is left). Runs on the thread whose new account crossed the cap; others skip it meanwhile.
    /// O(n log n) for n tracked accounts, once per n/16 new accounts.
    /// </summary>
    private void Evict(AccountState keep)
    {
        if (!_evictionLock.TryEnter()) return;
        try
        {
            int excess = Volatile.Read(ref _accountCount) - _options.MaxAccounts;
            if (excess <= 0) return;
            int target = excess + _options.MaxAccounts / EvictionDivisor;
            var unflagged = new List<(long LastSeen, AccountState State)>(_accounts.Count);
            var flagged = new List<(long LastSeen, AccountState State)>();
            foreach (KeyValuePair<string, AccountState> pair in _accounts)
            {
                AccountState s = pair.Value;
                if (ReferenceEquals(s, keep)) continue;
                long lastSeen = Volatile.Read(ref s.LastSeenTicks);
                if (Volatile.Read(ref s.CampaignId) != 0) flagged.Add((lastSeen, s));
                else unflagged.Add((lastSeen, s));
            }
            unflagged.Sort(static (a, b) => a.LastSeen.CompareTo(b.LastSeen));
            int removed = RemoveOldest(unflagged, target);
            if (removed < excess)
            {
                flagged.Sort(static (a, b) => a.LastSeen.CompareTo(b.LastSeen));
                removed += RemoveOldest(flagged, excess - removed);
            }
        }
        finally
        {
            _evictionLock.Exit();
        }
    }

    private int RemoveOldest(List<(long LastSeen, AccountState State)> candidates, int target)
    {
        int removed = 0;
        for (int i = 0; i < candidates.Count && removed < target; i++)
        {
            AccountState s = candidates[i].State;
            lock (s.Gate)
            {
                if (s.Evicted) continue;
                s.Evicted = true;
            }
            if (_accounts.TryRemove(new KeyValuePair<string, AccountState>(s.Name, s)))
            {
                Interlocked.Decrement(ref _accountCount);
                Interlocked.Increment(ref _evicted);
                removed++;
            }
        }
        return removed;
    }
}
