using DistillDetect.Accounts;
using DistillDetect.Fingerprints;
using DistillDetect.Serialization;

namespace DistillDetect.Detection;

public sealed partial class DistillationDetector
{
    private const string Magic = "DDET";
    private const ushort FormatVersion = 2;
    private const string What = "DistillationDetector";

    /// <summary>
    /// Serializes the whole detector state in the library's envelope (magic "DDET", version 2, CRC-32): the
    /// detector's own parameters, counters, the template index, the known campaigns (ids, scores, templates,
    /// synchronized windows), every tracked account (key, profile, timing, flag) and, new in version 2, the users of
    /// each narrow template (<see cref="DetectionOptions.NarrowTemplateMaxAccounts"/>) as positions in the account list.
    /// </summary>
    /// <returns>A new array (about 2.5 KB per account plus the template index and 4 B per listed template user).</returns>
    /// <remarks>Safe while other threads observe: each account is copied under its own lock, so the result is a
    /// consistent state of every account, though not one instant of all. O(accounts + templates).</remarks>
    public byte[] ToBytes()
    {
        var w = new StateWriter(Magic, FormatVersion);
        WriteOptions(w, _options);
        List<CampaignRecord> campaigns;
        int nextCampaign;
        lock (_analysisLock)
        {
            campaigns = CopyCampaigns();
            nextCampaign = _nextCampaignId;
        }
        w.WriteInt64(ExchangeCount);
        w.WriteInt64(EvictedCount);
        w.WriteInt32(nextCampaign);
        w.WriteBytes(_templates.ToBytes());
        w.WriteInt32(campaigns.Count);
        foreach (CampaignRecord c in campaigns)
        {
            w.WriteInt32(c.Id);
            w.WriteDouble(c.Score);
            w.WriteInt32(c.Templates.Count);
            foreach (long t in c.Templates) w.WriteInt64(t);
            w.WriteInt32(c.Windows.Count);
            foreach (SynchronizedWindow window in c.Windows)
            {
                w.WriteInt64(window.StartUtc.Ticks);
                w.WriteInt64(window.Length.Ticks);
                w.WriteInt32(window.Accounts);
            }
        }
        List<AccountSnapshotData> accounts = CopyAccounts();
        w.WriteInt32(accounts.Count);
        foreach (AccountSnapshotData a in accounts)
        {
            w.WriteString(a.Name);
            w.WriteBytes(a.Profile.ToBytes());
            w.WriteInt64(a.Exchanges);
            w.WriteInt64(a.LastSeenTicks);
            w.WriteInt64(a.CampaignHits);
            w.WriteInt64(a.GapCount);
            w.WriteDouble(a.GapMean);
            w.WriteDouble(a.GapM2);
            w.WriteInt64(a.PreviousTicks);
            w.WriteInt32(a.CampaignId);
            w.WriteByte((byte)a.Reason);
            w.WriteDouble(a.Score);
            w.WriteDouble(a.CampaignShare);
            w.WriteDouble(a.Cohesion);
            w.WriteInt64(a.FirstFlaggedTicks);
            w.WriteInt64(a.ExchangesBeforeFlagged);
        }
        WriteNarrowUsers(w, accounts);
        return w.ToArray();
    }

    /// <summary>Writes <see cref="ToBytes"/> to a stream.</summary>
    /// <param name="destination">A writable stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    public void Save(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(ToBytes());
    }

    /// <summary>
    /// Reads a detector written by <see cref="ToBytes"/>. The state is checked whole before anything is
    /// returned: a corrupt, truncated or mismatched input is rejected, never half-loaded.
    /// </summary>
    /// <param name="data">The serialized detector.</param>
    /// <param name="options">The options it must have been built with (template index, profile and detector
    /// parameters are checked; cohort-finder parameters are not stored and may differ); null for <see cref="DetectionOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock of the loaded detector; null for <see cref="TimeProvider.System"/>.</param>
    /// <returns>A new detector equal to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated, of another type or version, or built with other options (the message names what).</exception>
    public static DistillationDetector FromBytes(ReadOnlySpan<byte> data, DetectionOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= DetectionOptions.Default;
        options.Validate();
        var r = new StateReader(data, Magic, FormatVersion, What);
        ReadOptions(ref r, options);
        long exchanges = r.ReadInt64();
        long evicted = r.ReadInt64();
        int nextCampaign = r.ReadInt32();
        if (exchanges < 0 || evicted < 0 || nextCampaign < 1) DetectionThrow.Invalid("negative counters.");
        TemplateIndex templates = TemplateIndex.FromBytes(r.ReadBytes());
        if (templates.Options != options.Templates) DetectionThrow.Invalid("the template index was built with other TemplateIndexOptions.");
        var detector = new DistillationDetector(options, timeProvider ?? TimeProvider.System, templates);
        int campaignCount = r.ReadLength(16, int.MaxValue, "campaigns");
        for (int c = 0; c < campaignCount; c++)
        {
            var record = new CampaignRecord(r.ReadInt32());
            if (record.Id <= 0 || record.Id >= nextCampaign || detector._campaigns.ContainsKey(record.Id)) DetectionThrow.Invalid($"campaign id {record.Id} is out of range or repeated.");
            record.Score = r.ReadDouble();
            if (!(record.Score is >= 0 and <= 1)) DetectionThrow.Invalid($"campaign {record.Id} has score {record.Score} outside [0, 1].");
            int templateCount = r.ReadLength(8, int.MaxValue, "campaign templates");
            for (int t = 0; t < templateCount; t++) record.Templates.Add(r.ReadInt64());
            int windowCount = r.ReadLength(20, int.MaxValue, "synchronized windows");
            var windows = new SynchronizedWindow[windowCount];
            for (int i = 0; i < windowCount; i++)
            {
                long start = r.ReadInt64();
                long length = r.ReadInt64();
                int accounts = r.ReadInt32();
                if (start < DateTime.MinValue.Ticks || start > DateTime.MaxValue.Ticks || length < 0 || accounts < 0) DetectionThrow.Invalid("a synchronized window is out of range.");
                windows[i] = new SynchronizedWindow(new DateTime(start, DateTimeKind.Utc), TimeSpan.FromTicks(length), accounts);
            }
            record.Windows = windows;
            detector._campaigns[record.Id] = record;
        }
        int accountCount = r.ReadLength(64, options.MaxAccounts, "accounts");
        var loaded = new AccountState[accountCount];
        for (int a = 0; a < accountCount; a++)
        {
            string name = r.ReadString();
            AccountProfile profile = AccountProfile.FromBytes(r.ReadBytes(), options.Profiles);
            var snap = new AccountSnapshotData
            {
                Name = name,
                Profile = profile,
                Exchanges = r.ReadInt64(),
                LastSeenTicks = r.ReadInt64(),
                CampaignHits = r.ReadInt64(),
                GapCount = r.ReadInt64(),
                GapMean = r.ReadDouble(),
                GapM2 = r.ReadDouble(),
                PreviousTicks = r.ReadInt64(),
                CampaignId = r.ReadInt32(),
                Reason = (FlagReason)r.ReadByte(),
                Score = r.ReadDouble(),
                CampaignShare = r.ReadDouble(),
                Cohesion = r.ReadDouble(),
                FirstFlaggedTicks = r.ReadInt64(),
                ExchangesBeforeFlagged = r.ReadInt64(),
            };
            if (snap.Exchanges < 0 || snap.CampaignHits < 0 || snap.CampaignHits > snap.Exchanges || snap.GapCount < 0 || snap.ExchangesBeforeFlagged < 0)
            {
                DetectionThrow.Invalid($"account '{name}' has inconsistent counters.");
            }
            if (!Enum.IsDefined(snap.Reason) || (snap.CampaignId == 0) != (snap.Reason == FlagReason.None) || snap.CampaignId < 0 || snap.CampaignId >= nextCampaign)
            {
                DetectionThrow.Invalid($"account '{name}' has an inconsistent flag.");
            }
            var state = new AccountState(name, options.Profiles);
            state.LoadFrom(snap);
            if (!detector._accounts.TryAdd(name, state)) DetectionThrow.Invalid($"account '{name}' is repeated.");
            detector._accountCount++;
            loaded[a] = state;
        }
        // Version 1 kept no template users: the loaded detector starts their lists afresh.
        if (r.Version >= 2) detector.ReadNarrowUsers(ref r, loaded);
        r.EnsureEnd();
        detector._exchanges = exchanges;
        detector._evicted = evicted;
        detector._nextCampaignId = nextCampaign;
        detector.PublishCampaignMap();
        return detector;
    }

    /// <summary>Reads a detector saved with <see cref="Save"/> from a stream (to its end). See <see cref="FromBytes"/>.</summary>
    /// <param name="source">A readable stream.</param>
    /// <param name="options">The options it was built with; null for the defaults.</param>
    /// <param name="timeProvider">The clock; null for the system clock.</param>
    /// <returns>A new detector.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="InvalidDataException">The data is corrupt or mismatched.</exception>
    public static DistillationDetector Load(Stream source, DetectionOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        return FromBytes(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options, timeProvider);
    }

    /// <summary>
    /// Folds another detector's state into this one, so a fleet of gateways can combine what each saw: template
    /// indexes merge (<see cref="TemplateIndex.Merge"/>), accounts seen by both merge their profiles, timing and
    /// counts (<see cref="AccountProfile.Merge"/>), flags are kept (an account flagged by either stays flagged),
    /// and campaigns are matched by shared templates (else added under a new id). The other detector is not changed.
    /// </summary>
    /// <param name="other">A detector with equal <see cref="Options"/>; do not observe into it during the merge.</param>
    /// <remarks>
    /// Thread-safe with respect to observers of this detector. O(accounts + templates of both). A template of
    /// the other index that is matched to a differently numbered template here keeps its old id inside the
    /// merged account profiles, so template overlap between accounts seen on different gateways can be
    /// underestimated until they send more traffic; the narrow-template user lists are merged under the matched ids.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The options differ, or <paramref name="other"/> is this detector.</exception>
    public void Merge(DistillationDetector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this)) DetectionThrow.SameInstance(nameof(other));
        if (other._options != _options) DetectionThrow.OptionsDiffer(DescribeDifference(_options, other._options), nameof(other));

        List<CampaignRecord> theirCampaigns;
        lock (other._analysisLock) theirCampaigns = other.CopyCampaigns();
        List<AccountSnapshotData> theirAccounts = other.CopyAccounts();

        lock (_analysisLock)
        {
            Dictionary<long, long> templateIds = _templates.MergeAndMap(other._templates);
            var remap = new Dictionary<int, int>();
            foreach (CampaignRecord theirs in theirCampaigns)
            {
                CampaignRecord? best = null;
                int bestOverlap = 0;
                foreach (CampaignRecord ours in _campaigns.Values)
                {
                    int overlap = 0;
                    foreach (long t in theirs.Templates) if (ours.Templates.Contains(t)) overlap++;
                    if (overlap > bestOverlap || (overlap == bestOverlap && overlap > 0 && ours.Id < best!.Id))
                    {
                        best = ours;
                        bestOverlap = overlap;
                    }
                }
                if (best is null)
                {
                    best = new CampaignRecord(_nextCampaignId++);
                    _campaigns[best.Id] = best;
                }
                foreach (long t in theirs.Templates) best.Templates.Add(t);
                best.Score = Math.Max(best.Score, theirs.Score);
                if (best.Windows.Count == 0) best.Windows = theirs.Windows;
                remap[theirs.Id] = best.Id;
            }

            foreach (AccountSnapshotData theirs in theirAccounts)
            {
                while (true)
                {
                    AccountState state = GetOrAdd(theirs.Name);
                    lock (state.Gate)
                    {
                        if (state.Evicted) continue;
                        state.MergeFrom(theirs);
                        if (theirs.CampaignId != 0)
                        {
                            int campaign = remap.GetValueOrDefault(theirs.CampaignId);
                            if (state.CampaignId == 0 && campaign != 0)
                            {
                                state.CampaignId = campaign;
                                state.Reason = theirs.Reason;
                                state.Score = theirs.Score;
                                state.CampaignShare = theirs.CampaignShare;
                                state.Cohesion = theirs.Cohesion;
                                state.FirstFlaggedTicks = theirs.FirstFlaggedTicks;
                                state.ExchangesBeforeFlagged = theirs.ExchangesBeforeFlagged;
                            }
                            else if (campaign != 0 && theirs.FirstFlaggedTicks < state.FirstFlaggedTicks)
                            {
                                state.FirstFlaggedTicks = theirs.FirstFlaggedTicks;
                            }
                        }
                        break;
                    }
                }
            }
            foreach ((long templateId, bool wide, AccountState[] users) in other._narrow.Snapshot())
            {
                var mine = new List<AccountState>(users.Length);
                foreach (AccountState user in users)
                {
                    if (_accounts.TryGetValue(user.Name, out AccountState? state)) mine.Add(state);
                }
                _narrow.RecordAll(templateIds.GetValueOrDefault(templateId, templateId), wide, mine);
            }
            Interlocked.Add(ref _exchanges, other.ExchangeCount);
            Interlocked.Add(ref _evicted, other.EvictedCount);
            PublishCampaignMap();
        }
    }

    /// <summary>Publishes the campaign-template map of every known campaign (call under the analysis lock or before sharing).</summary>
    private void PublishCampaignMap()
    {
        var map = new Dictionary<long, int>();
        var scores = new Dictionary<int, double>();
        foreach (CampaignRecord record in _campaigns.Values)
        {
            scores[record.Id] = record.Score;
            foreach (long t in record.Templates) map.TryAdd(t, record.Id);
        }
        Volatile.Write(ref _campaignMap, new CampaignMap(map, scores));
    }

    private List<CampaignRecord> CopyCampaigns()
    {
        var list = new List<CampaignRecord>(_campaigns.Count);
        foreach (CampaignRecord c in _campaigns.Values)
        {
            var copy = new CampaignRecord(c.Id) { Score = c.Score, Windows = c.Windows };
            foreach (long t in c.Templates) copy.Templates.Add(t);
            list.Add(copy);
        }
        list.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return list;
    }

    /// <summary>Copies every tracked account, one at a time under its own lock, in ordinal key order.</summary>
    private List<AccountSnapshotData> CopyAccounts()
    {
        var list = new List<AccountSnapshotData>(AccountCount);
        foreach (KeyValuePair<string, AccountState> pair in _accounts)
        {
            AccountState s = pair.Value;
            lock (s.Gate)
            {
                if (s.Evicted) continue;
                list.Add(s.Copy());
            }
        }
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>The narrow-template users: the list bound, then per template its id, whether it is wide and its users as positions in <paramref name="accounts"/>.</summary>
    private void WriteNarrowUsers(StateWriter w, List<AccountSnapshotData> accounts)
    {
        var position = new Dictionary<string, int>(accounts.Count, StringComparer.Ordinal);
        for (int i = 0; i < accounts.Count; i++) position[accounts[i].Name] = i;
        List<(long TemplateId, bool Wide, AccountState[] Users)> entries = _narrow.Snapshot();
        w.WriteInt32(_options.NarrowTemplateMaxAccounts);
        w.WriteInt32(entries.Count);
        var users = new List<int>();
        foreach ((long templateId, bool wide, AccountState[] states) in entries)
        {
            users.Clear();
            foreach (AccountState s in states)
            {
                if (position.TryGetValue(s.Name, out int i)) users.Add(i);
            }
            w.WriteInt64(templateId);
            w.WriteBool(wide);
            w.WriteInt32(users.Count);
            foreach (int i in users) w.WriteInt32(i);
        }
    }

    private void ReadNarrowUsers(ref StateReader r, AccountState[] accounts)
    {
        r.Expect(r.ReadInt32(), _options.NarrowTemplateMaxAccounts, nameof(DetectionOptions.NarrowTemplateMaxAccounts));
        int count = r.ReadLength(13, int.MaxValue, "narrow templates");
        var seen = new HashSet<long>();
        var users = new List<AccountState>();
        for (int e = 0; e < count; e++)
        {
            long templateId = r.ReadInt64();
            bool wide = r.ReadBool();
            int userCount = r.ReadLength(4, _options.NarrowTemplateMaxAccounts, "template users");
            if (!seen.Add(templateId)) DetectionThrow.Invalid($"template {templateId} has two user lists.");
            if (wide && userCount != 0) DetectionThrow.Invalid($"wide template {templateId} lists users.");
            users.Clear();
            for (int u = 0; u < userCount; u++)
            {
                int i = r.ReadInt32();
                if ((uint)i >= (uint)accounts.Length) DetectionThrow.Invalid($"template {templateId} lists account position {i} of {accounts.Length}.");
                if (users.Contains(accounts[i])) DetectionThrow.Invalid($"template {templateId} lists account '{accounts[i].Name}' twice.");
                users.Add(accounts[i]);
            }
            _narrow.RecordAll(templateId, wide, users);
        }
    }

    private static void WriteOptions(StateWriter w, DetectionOptions o)
    {
        w.WriteInt32(o.MaxAccounts);
        w.WriteInt32(o.LinkAfterExchanges);
        w.WriteDouble(o.AccountConcentration);
        w.WriteDouble(o.MinCohortConcentration);
        w.WriteDouble(o.MinTemplatePurity);
        w.WriteDouble(o.MachineBurstiness);
        w.WriteDouble(o.MachineTimingShare);
        w.WriteDouble(o.RotatingAccountShare);
        w.WriteInt64(o.AbandonedAfter.Ticks);
    }

    private static void ReadOptions(ref StateReader r, DetectionOptions o)
    {
        r.Expect(r.ReadInt32(), o.MaxAccounts, nameof(DetectionOptions.MaxAccounts));
        r.Expect(r.ReadInt32(), o.LinkAfterExchanges, nameof(DetectionOptions.LinkAfterExchanges));
        r.Expect(r.ReadDouble(), o.AccountConcentration, nameof(DetectionOptions.AccountConcentration));
        r.Expect(r.ReadDouble(), o.MinCohortConcentration, nameof(DetectionOptions.MinCohortConcentration));
        r.Expect(r.ReadDouble(), o.MinTemplatePurity, nameof(DetectionOptions.MinTemplatePurity));
        r.Expect(r.ReadDouble(), o.MachineBurstiness, nameof(DetectionOptions.MachineBurstiness));
        r.Expect(r.ReadDouble(), o.MachineTimingShare, nameof(DetectionOptions.MachineTimingShare));
        r.Expect(r.ReadDouble(), o.RotatingAccountShare, nameof(DetectionOptions.RotatingAccountShare));
        r.Expect(r.ReadInt64(), o.AbandonedAfter.Ticks, nameof(DetectionOptions.AbandonedAfter) + " (ticks)");
    }

    private static string DescribeDifference(DetectionOptions a, DetectionOptions b)
    {
        if (a.Templates != b.Templates) return "Templates";
        if (a.Profiles != b.Profiles) return "Profiles";
        if (a.Cohorts != b.Cohorts) return "Cohorts";
        return $"{a} vs {b}";
    }
}
