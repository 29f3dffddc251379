using DistillDetect.Accounts;
using DistillDetect.Detection;
using DistillDetect.Fingerprints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Detection;

public sealed class NarrowTemplateUsersTests
{
    private const int Max = 4;
    private static readonly TemplateIndex Index = new();
    private static readonly AccountState[] People = Enumerable.Range(0, 12).Select(i => new AccountState($"a{i:D2}", AccountProfileOptions.Default)).ToArray();

    /// <summary>Six live templates of <see cref="Index"/> (a snapshot drops templates the index does not hold).</summary>
    private static readonly long[] Templates = Enumerable.Range(0, 6).Select(i => Index.Assign(Words(new Random(i), 16))).ToArray();

    private static string Words(Random random, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => new string(Enumerable.Range(0, 7).Select(_ => (char)('a' + random.Next(26))).ToArray())));

    [Fact]
    public void Templates_AreSixDistinctLiveTemplates() => Assert.Equal(6, Templates.Distinct().Count());

    private static NarrowTemplateUsers Record(IEnumerable<(int Template, int Account)> uses)
    {
        var users = new NarrowTemplateUsers(Index, Max);
        foreach ((int t, int a) in uses) users.Record(Templates[t], People[a]);
        return users;
    }

    private static Gen<(int, int)[]> Uses => Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, People.Length - 1)).ArrayOf();

    /// <summary>(template, wide, users sorted by name) for every template, comparable across instances.</summary>
    private static string Describe(NarrowTemplateUsers users) =>
        string.Join("; ", users.Snapshot().Select(e => $"{e.TemplateId}:{(e.Wide ? "wide" : string.Join(",", e.Users.Select(u => u.Name).Order(StringComparer.Ordinal)))}"));

    /// <summary>What the lists must hold: per template its distinct users, or "wide" past <see cref="Max"/> of them.</summary>
    private static string Expected(IEnumerable<(int Template, int Account)> uses) =>
        string.Join("; ", uses.GroupBy(u => Templates[u.Template]).OrderBy(g => g.Key).Select(g =>
        {
            string[] distinct = g.Select(u => People[u.Account].Name).Distinct().Order(StringComparer.Ordinal).ToArray();
            return $"{g.Key}:{(distinct.Length > Max ? "wide" : string.Join(",", distinct))}";
        }));

    [Property(MaxTest = 200)]
    public Property Record_KeepsEachTemplatesDistinctUsersUntilItGrowsWide() =>
        Prop.ForAll(Uses.ToArbitrary(), uses => Describe(Record(uses)) == Expected(uses));

    [Property(MaxTest = 200)]
    public Property RecordAll_OfAnotherInstance_EqualsRecordingBothStreams_InEitherOrder() =>
        Prop.ForAll(Uses.ToArbitrary(), Uses.ToArbitrary(), (first, second) =>
        {
            NarrowTemplateUsers ab = Record(first), ba = Record(second);
            foreach (var e in Record(second).Snapshot()) ab.RecordAll(e.TemplateId, e.Wide, e.Users);
            foreach (var e in Record(first).Snapshot()) ba.RecordAll(e.TemplateId, e.Wide, e.Users);
            string expected = Expected(first.Concat(second));
            return Describe(ab) == expected && Describe(ba) == expected;
        });

    [Fact]
    public void CopyNarrow_CopiesTemplatesWithTwoToMaxTakingPartUsers_Only()
    {
        NarrowTemplateUsers users = Record([(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2), (3, 3), (3, 4), (2, 1), (4, 5), (4, 6), (4, 7), (4, 8), (5, 0), (5, 9)]);
        var ids = new List<long>();
        var ends = new List<int>();
        var accounts = new List<int>();
        // Accounts 0-8 take part (listed in reverse, so positions differ from account numbers); account 9 does not, so
        // template 5 (accounts 0 and 9) has one taking-part user.
        AccountState[] takingPart = [.. People.Take(9).Reverse()];
        users.CopyNarrow(Max, takingPart, ids, ends, accounts);
        // Template 1 has one user (no pair), template 3 five (wide with Max = 4): templates 2 and 4, with 2 and 4 users.
        var copied = ids.Select((id, e) => (id, string.Join(",", accounts[(e == 0 ? 0 : ends[e - 1])..ends[e]].Select(k => takingPart[k].Name).Order(StringComparer.Ordinal)))).OrderBy(x => x.id).ToList();
        Assert.Equal(new[] { (Templates[2], "a00,a01"), (Templates[4], "a05,a06,a07,a08") }.OrderBy(x => x.Item1), copied);
    }

    /// <summary>
    /// With candidates, the copy is unchanged, and per candidate <see cref="SharedTaskCandidates.Narrow"/> counts its narrow
    /// templates with another user among those taking part or the candidates, while <see cref="SharedTaskCandidates.Templates"/>
    /// lists exactly the copied templates with two or more machine-timed users and a candidate, with their candidates.
    /// Accounts 0-5 take part (even ones machine-timed), 6-9 are candidates, 10-11 neither.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property CopyNarrow_WithCandidates_CountsTheirNarrowTemplatesAndTheMachineTimedOnes() =>
        Prop.ForAll(Uses.ToArbitrary(), uses =>
        {
            NarrowTemplateUsers users = Record(uses);
            AccountState[] takingPart = [.. People.Take(6)];
            List<bool> machine = [.. Enumerable.Range(0, 6).Select(k => k % 2 == 0)];
            var candidates = new SharedTaskCandidates([.. People.Skip(6).Take(4)], machine);
            List<long> ids = [], plainIds = [];
            List<int> ends = [], listed = [], plainEnds = [], plainListed = [];
            users.CopyNarrow(Max, takingPart, ids, ends, listed, candidates);
            users.CopyNarrow(Max, takingPart, plainIds, plainEnds, plainListed);

            // Per template its distinct users while narrow (Max or fewer), by account number.
            var narrow = uses.GroupBy(u => u.Item1).Select(g => (Template: g.Key, Users: g.Select(u => u.Item2).Distinct().ToArray()))
                .Where(x => x.Users.Length <= Max).ToList();
            int[] expectedNarrow = [.. Enumerable.Range(6, 4).Select(c => narrow.Count(x => x.Users.Contains(c) && x.Users.Any(u => u != c && u < 10)))];
            string expectedTasks = string.Join("; ", narrow
                .Where(x => x.Users.Count(u => u < 6 && u % 2 == 0) >= 2 && x.Users.Any(u => u is >= 6 and < 10))
                .OrderBy(x => Templates[x.Template])
                .Select(x => $"{Templates[x.Template]}:{string.Join(",", x.Users.Where(u => u is >= 6 and < 10).Order())}"));
            string tasks = string.Join("; ", candidates.Templates.Select((e, t) => (Id: ids[e], Users: candidates.Users[(t == 0 ? 0 : candidates.Ends[t - 1])..candidates.Ends[t]]))
                .OrderBy(x => x.Id).Select(x => $"{x.Id}:{string.Join(",", x.Users.Select(c => c + 6).Order())}"));
            bool sameCopy = ids.SequenceEqual(plainIds) && ends.SequenceEqual(plainEnds) && listed.SequenceEqual(plainListed);
            return (sameCopy && candidates.Narrow.SequenceEqual(expectedNarrow) && tasks == expectedTasks)
                .Label($"same copy {sameCopy}; narrow {string.Join(",", candidates.Narrow)} / {string.Join(",", expectedNarrow)}; tasks {tasks} / {expectedTasks}");
        });

    /// <summary>
    /// The table <see cref="NarrowTemplateUsers.CopyNarrow"/> reads mirrors the lists through every transition: second
    /// users, growing wide, evicted accounts dropped by a sweep (a snapshot sweeps) and rows reused after that.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property CopyNarrow_AgreesWithTheSnapshot_AfterEvictionsSweepsAndRowReuse() =>
        Prop.ForAll(Uses.ToArbitrary(), Gen.Choose(0, 4095).ToArbitrary(), Uses.ToArbitrary(), (before, evictedMask, after) =>
        {
            AccountState[] people = [.. People.Select(p => new AccountState(p.Name, AccountProfileOptions.Default))];
            var users = new NarrowTemplateUsers(Index, Max);
            foreach ((int t, int a) in before) users.Record(Templates[t], people[a]);
            for (int a = 0; a < people.Length; a++) people[a].Evicted = (evictedMask >> a & 1) == 1;
            users.Snapshot();
            AccountState[] live = [.. people.Where(p => !p.Evicted)];
            // The detector never records an evicted state: an account that sends again after its eviction gets a new one.
            AccountState[] readded = live.Length == 0 ? [.. people.Select(p => new AccountState(p.Name, AccountProfileOptions.Default))] : [];
            AccountState[] writers = live.Length == 0 ? readded : live;
            foreach ((int t, int a) in after) users.Record(Templates[t], writers[a % writers.Length]);

            var ids = new List<long>();
            var ends = new List<int>();
            var listed = new List<int>();
            AccountState[] members = [.. people, .. readded];
            users.CopyNarrow(Max, members, ids, ends, listed);
            string copied = string.Join("; ", ids.Select((id, e) => (id, Users: listed[(e == 0 ? 0 : ends[e - 1])..ends[e]]))
                .OrderBy(x => x.id).Select(x => $"{x.id}:{string.Join(",", x.Users.Select(k => members[k].Name).Order(StringComparer.Ordinal))}"));
            string expected = string.Join("; ", users.Snapshot().Where(e => !e.Wide && e.Users.Length >= 2)
                .Select(e => $"{e.TemplateId}:{string.Join(",", e.Users.Select(u => u.Name).Order(StringComparer.Ordinal))}"));
            return (copied == expected).Label($"copied {copied} / expected {expected}");
        });

    [Fact]
    public void CopyNarrow_ATemplateFoundAliveThenEvictedByTheIndex_IsNotCopiedAgain()
    {
        var index = new TemplateIndex(new TemplateIndexOptions { MaxTemplates = 16 });
        long first = index.Assign(Words(new Random(100), 16));
        var users = new NarrowTemplateUsers(index, Max);
        users.Record(first, People[0]);
        users.Record(first, People[1]);
        var ids = new List<long>();
        users.CopyNarrow(Max, People, ids, [], []);
        Assert.Equal([first], ids);

        // Newer templates used twice each push the oldest, least-used one out in the index's first eviction pass.
        for (int i = 0; i < 40; i++)
        {
            string prompt = Words(new Random(200 + i), 16);
            index.Assign(prompt);
            index.Assign(prompt);
        }
        Assert.False(index.TryGetTemplate(first, out _));
        ids.Clear();
        users.CopyNarrow(Max, People, ids, [], []);
        Assert.Empty(ids);
    }

    [Fact]
    public void Snapshot_DropsTemplatesTheIndexNoLongerHoldsAndEvictedAccounts()
    {
        var index = new TemplateIndex();
        long live = index.Assign("Write a Python function that returns the n-th Fibonacci number using memoization.");
        var gone = new AccountState("gone", AccountProfileOptions.Default) { Evicted = true };
        var users = new NarrowTemplateUsers(index, Max);
        users.Record(live, People[0]);
        users.Record(live, gone);
        users.Record(live, People[1]);
        users.Record(live + 1, People[0]);
        var entry = Assert.Single(users.Snapshot());
        Assert.Equal(live, entry.TemplateId);
        Assert.Equal(["a00", "a01"], entry.Users.Select(u => u.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Constructor_RejectsAListBoundBelowTwo() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NarrowTemplateUsers(Index, 1));
}
