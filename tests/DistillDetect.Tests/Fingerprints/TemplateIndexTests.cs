using DistillDetect.Fingerprints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public sealed class TemplateIndexTests
{
    private static string Wrapped(int wrapper, Random random, int taskWords = 40) =>
        TemplateCorpus.Wrap(wrapper, TemplateCorpus.RandomTask(random, taskWords), random, synonym: false);

    [Fact]
    public void Assign_SameWrapperDifferentTasks_ShareOneGroup()
    {
        var index = new TemplateIndex();
        var random = new Random(1);
        var ids = new HashSet<long>();
        for (int i = 0; i < 200; i++) ids.Add(index.Assign(Wrapped(0, random)));
        Assert.Single(ids);
        Assert.True(index.TryGetTemplate(ids.First(), out TemplateInfo info));
        Assert.Equal(200, info.Count);
        Assert.Equal(1, info.FirstAssignment);
        Assert.Equal(200, info.LastAssignment);
    }

    [Fact]
    public void Assign_ShortWrapperAroundThousandWordTask_FindsWrapper()
    {
        // Whole-prompt Jaccard of two such prompts is about 0.03: only the segments can see the wrapper.
        var index = new TemplateIndex();
        var random = new Random(2);
        var ids = new HashSet<long>();
        for (int i = 0; i < 50; i++) ids.Add(index.Assign(Wrapped(4, random, taskWords: 1000)));
        Assert.Single(ids);
    }

    [Fact]
    public void Assign_UnrelatedPrompts_GetDistinctGroups()
    {
        var index = new TemplateIndex();
        var random = new Random(3);
        var ids = new HashSet<long>();
        for (int i = 0; i < 500; i++) ids.Add(index.Assign(TemplateCorpus.RandomTask(random, random.Next(5, 120))));
        Assert.Equal(500, ids.Count);
        Assert.Equal(500, index.TemplateCount);
    }

    [Fact]
    public void Assign_GenericSentencesAroundUnrelatedTasks_DoNotGlue()
    {
        // Generic openers and closers shared by unrelated prompts: each is shorter than MinSharedWords (8),
        // and even two of them (up to 10 words) cover well under 60 % of a prompt, so nothing groups.
        string[] generic = ["Can you help me with this?", "Write a Python function that does the following.", "Thanks in advance!", "Hi there.", "Please explain your answer."];
        var index = new TemplateIndex();
        var random = new Random(4);
        var ids = new HashSet<long>();
        for (int i = 0; i < 400; i++)
        {
            string prompt = generic[random.Next(generic.Length)] + " " + TemplateCorpus.RandomTask(random, random.Next(20, 60)) + " " + generic[random.Next(2, generic.Length)];
            ids.Add(index.Assign(prompt));
        }
        Assert.Equal(400, ids.Count);
    }

    [Theory]
    [InlineData(0.5, 0)]   // default: both generic sentences are spread over ~100 groups, so neither is evidence
    [InlineData(0.001, 49)] // concentration test effectively off: the pair (12 words) glues every later prompt to the first
    public void Assign_PairOfSpreadGenericSentences_GluesOnlyWithoutConcentrationTest(double coreFraction, int expectedGlued)
    {
        // Two 6-word generic sentences, first seen together in one prompt (whose template then owns both),
        // then each alone in 100 unrelated prompts (too short to group: 6 < MinSharedWords), then together
        // again around 50 new tasks. The IDF-like test (a segment must be concentrated in its owner) makes the
        // spread sentences evidence for nobody.
        const string C1 = "Can you help me with this?";
        const string C2 = "Please explain your answer in detail.";
        var index = new TemplateIndex(new TemplateIndexOptions { CoreFraction = coreFraction });
        var random = new Random(15);
        long first = index.Assign($"{C1} {TemplateCorpus.RandomTask(random, 30)} {C2}");
        for (int i = 0; i < 100; i++)
        {
            index.Assign($"{C1} {TemplateCorpus.RandomTask(random, 30)}");
            index.Assign($"{TemplateCorpus.RandomTask(random, 30)} {C2}");
        }
        int glued = 0;
        for (int i = 0; i < 49; i++)
        {
            if (index.Assign($"{C1} {TemplateCorpus.RandomTask(random, 30)} {C2}") == first) glued++;
        }
        Assert.Equal(expectedGlued, glued);
    }

    [Fact]
    public void Assign_OneSentenceOfMatureWrapper_DoesNotJoinIt()
    {
        // A legitimate prompt sharing the 12-word first sentence of a 40-word wrapper: enough words for
        // rule (1) but under half of what the wrapper's members share (rule (2), MinContainment 0.5).
        var index = new TemplateIndex();
        var random = new Random(5);
        long wrapper = 0;
        for (int i = 0; i < 20; i++) wrapper = index.Assign(Wrapped(2, random));
        string legit = "I am collecting high quality reference answers for a training set. " + TemplateCorpus.RandomTask(random, 50);
        Assert.NotEqual(wrapper, index.Assign(legit));
    }

    [Fact]
    public void Assign_ShortTemplateMostOfPrompt_JoinsByFraction()
    {
        // "Translate this into French" (4 words) is under MinSharedWords but covers >= 60 % of these prompts
        // (4 of 6 words; the two-word objects are too short to be segments of their own).
        var index = new TemplateIndex();
        string[] objects = ["the cat", "my house", "good morning", "red car", "the weather"];
        var ids = new HashSet<long>();
        foreach (string o in objects) ids.Add(index.Assign($"Translate this into French: {o}"));
        Assert.Single(ids);
    }

    [Fact]
    public void Assign_DisguisedCopies_LandInOriginalGroup()
    {
        var index = new TemplateIndex();
        var random = new Random(6);
        var originals = new List<(string Prompt, long Id)>();
        for (int i = 0; i < 100; i++)
        {
            string prompt = TemplateCorpus.RandomTask(random, random.Next(30, 150));
            originals.Add((prompt, index.Assign(prompt)));
        }
        int hits = 0;
        foreach ((string prompt, long id) in originals)
        {
            string copy = TemplateCorpus.Disguise(TemplateCorpus.EditWords(prompt, random, 25, 3), random, p: 1.0);
            if (index.Assign(copy) == id) hits++;
        }
        Assert.Equal(originals.Count, hits);
    }

    [Fact]
    public void Assign_EvadedWrappedPrompts_StayInWrapperGroup()
    {
        var index = new TemplateIndex();
        var random = new Random(7);
        for (int w = 0; w < TemplateCorpus.Wrappers.Length; w++)
        {
            var counts = new Dictionary<long, int>();
            for (int i = 0; i < 200; i++)
            {
                string prompt = TemplateCorpus.Disguise(TemplateCorpus.Wrap(w, TemplateCorpus.RandomTask(random, 30), random, random.NextDouble() < 0.3), random, 0.3);
                long id = index.Assign(prompt);
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
            // A prompt whose only wrapper segment was reworded and which has no other shared part can
            // found its own group; with p = 0.3 for a synonym swap that is well under 5 % here.
            Assert.True(counts.Values.Max() >= 190, $"wrapper {w}: largest group {counts.Values.Max()} of 200");
        }
    }

    [Fact]
    public void Assign_JoinPath_AllocatesNothing()
    {
        var index = new TemplateIndex();
        var random = new Random(8);
        var prompts = new string[64];
        for (int i = 0; i < prompts.Length; i++) prompts[i] = Wrapped(1, random);
        foreach (string p in prompts) index.Assign(p);
        for (int round = 0; round < 20; round++)
        {
            foreach (string p in prompts) index.Assign(p);
        }
        long allocated = Allocations.Fewest(() =>
        {
            for (int round = 0; round < 10; round++)
            {
                foreach (string p in prompts) index.Assign(p);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Assign_ConcurrentCallers_CountsAddUpAndWrappersGroup()
    {
        var index = new TemplateIndex();
        const int PerThread = 500;
        var results = new (int Wrapper, long Id)[4][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var random = new Random(100 + t);
            var mine = new (int, long)[PerThread];
            for (int i = 0; i < PerThread; i++)
            {
                int w = random.Next(3);
                mine[i] = (w, index.Assign(Wrapped(w, random)));
            }
            results[t] = mine;
        });
        Assert.Equal(4 * PerThread, index.AssignmentCount);
        long total = 0;
        foreach (TemplateInfo info in index.GetTemplates()) total += info.Count;
        Assert.Equal(4 * PerThread, total);
        var all = results.SelectMany(r => r).ToList();
        for (int w = 0; w < 3; w++)
        {
            var mine = all.Where(x => x.Wrapper == w).ToList();
            int majority = mine.GroupBy(x => x.Id).Max(g => g.Count());
            // Only prompts founding at the same instant can split a wrapper; allow a few.
            Assert.True(majority >= mine.Count - 8, $"wrapper {w}: {majority} of {mine.Count} in its largest group");
        }
    }

    [Fact]
    public void GetTemplates_SortedByCount_WithTruncatedExample()
    {
        var index = new TemplateIndex(new TemplateIndexOptions { ExampleLength = 32 });
        var random = new Random(9);
        for (int i = 0; i < 30; i++) index.Assign(Wrapped(0, random));
        for (int i = 0; i < 10; i++) index.Assign(Wrapped(1, random));
        index.Assign("A single unrelated prompt about gardening in the spring and what to plant first.");
        IReadOnlyList<TemplateInfo> templates = index.GetTemplates();
        Assert.Equal([30L, 10L, 1L], templates.Select(t => t.Count));
        Assert.All(templates, t => Assert.True(t.Example.Length <= 32));
        Assert.StartsWith("You are an expert", templates[0].Example, StringComparison.Ordinal);
        Assert.Equal(2, index.GetTemplates(minCount: 10).Count);
    }

    [Fact]
    public void Assign_IdenticalPromptInFreshIndex_GetsSameId()
    {
        const string Prompt = "Summarize the following article in three bullet points for a busy executive.";
        Assert.Equal(new TemplateIndex().Assign(Prompt), new TemplateIndex().Assign(Prompt));
        Assert.NotEqual(new TemplateIndex().Assign(Prompt), new TemplateIndex(new TemplateIndexOptions { Seed = 42 }).Assign(Prompt));
    }

    [Fact]
    public void Assign_BeyondMaxTemplates_EvictsLeastUsedKeepsLarge()
    {
        var index = new TemplateIndex(new TemplateIndexOptions { MaxTemplates = 16, MaxSegments = 1024, NearDuplicateCapacity = 64 });
        var random = new Random(10);
        long big = 0;
        for (int i = 0; i < 50; i++) big = index.Assign(Wrapped(0, random));
        for (int i = 0; i < 300; i++) index.Assign(TemplateCorpus.RandomTask(random, 30));
        Assert.True(index.TemplateCount <= 16);
        Assert.True(index.TryGetTemplate(big, out TemplateInfo info));
        Assert.Equal(50, info.Count);
        Assert.True(index.SegmentCount <= 1024);
        // The big template is still found after all that churn.
        Assert.Equal(big, index.Assign(Wrapped(0, random)));
    }

    [Fact]
    public void Assign_WrapperWhoseYoungTemplateWasEvicted_GroupsAgain()
    {
        // A busy index evicts a young wrapper's template and leaves its segments behind with their support. The next
        // prompt of the wrapper founds a template that takes them over; the prompts of the evicted template must not
        // count against the new owner, or the segments are never core again and every later prompt of the wrapper
        // founds a template of its own (a campaign starting late in a full index then never shows as one template).
        var index = new TemplateIndex(new TemplateIndexOptions { MaxTemplates = 16, NearDuplicateCapacity = 64 });
        var random = new Random(12);
        long young = 0;
        for (int i = 0; i < 3; i++) young = index.Assign(Wrapped(0, random));
        Assert.True(index.TryGetTemplate(young, out TemplateInfo before));
        Assert.Equal(3, before.Count);
        for (int group = 0; group < 40; group++)
        {
            string task = TemplateCorpus.RandomTask(random, 30);
            for (int r = 0; r < 5; r++) index.Assign(task);
        }
        Assert.False(index.TryGetTemplate(young, out _));
        var ids = new List<long>();
        for (int i = 0; i < 50; i++) ids.Add(index.Assign(Wrapped(0, random)));
        Assert.Single(ids.Distinct());
        Assert.True(index.TryGetTemplate(ids[0], out TemplateInfo after));
        Assert.Equal(50, after.Count);
    }

    [Fact]
    public void Assign_SignatureOverload_MatchesStringOverload()
    {
        var a = new TemplateIndex();
        var b = new TemplateIndex();
        var random = new Random(11);
        for (int i = 0; i < 50; i++)
        {
            string p = i % 2 == 0 ? Wrapped(3, random) : TemplateCorpus.RandomTask(random, 25);
            Assert.Equal(a.Assign(p), b.Assign(p, b.Hasher.Compute(p)));
        }
        Assert.Throws<ArgumentException>(() => b.Assign("x", new uint[3]));
    }

    [Fact]
    public void ToBytes_RoundTrip_SameStateAndSameFutureAssignments()
    {
        var index = new TemplateIndex();
        var random = new Random(12);
        for (int i = 0; i < 300; i++) index.Assign(i % 3 == 0 ? TemplateCorpus.RandomTask(random, 40) : Wrapped(i % 2, random));
        byte[] bytes = index.ToBytes();
        TemplateIndex copy = TemplateIndex.FromBytes(bytes);
        Assert.Equal(bytes, copy.ToBytes());
        Assert.Equal(index.GetTemplates(), copy.GetTemplates());
        for (int i = 0; i < 100; i++)
        {
            string p = i % 3 == 0 ? TemplateCorpus.RandomTask(random, 40) : Wrapped(i % 4, random);
            string disguised = TemplateCorpus.Disguise(p, random, 0.5);
            Assert.Equal(index.Assign(disguised), copy.Assign(disguised));
        }
    }

    [Fact]
    public void FromBytes_CorruptOrForeign_ThrowsInvalidData()
    {
        var index = new TemplateIndex(new TemplateIndexOptions { MaxSegments = 2048, NearDuplicateCapacity = 128 });
        var random = new Random(13);
        for (int i = 0; i < 20; i++) index.Assign(Wrapped(0, random));
        byte[] bytes = index.ToBytes();
        for (int at = 0; at < bytes.Length; at += Math.Max(1, bytes.Length / 50))
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[at] ^= 0x5A;
            Assert.Throws<InvalidDataException>(() => TemplateIndex.FromBytes(corrupt));
        }
        Assert.Throws<InvalidDataException>(() => TemplateIndex.FromBytes(bytes.AsSpan(0, bytes.Length - 9)));
        var ex = Assert.Throws<InvalidDataException>(() => TemplateIndex.FromBytes(new byte[40]));
        Assert.Contains("magic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_TwoGatewaysSameWrapper_CombineIntoOneTemplate()
    {
        var a = new TemplateIndex();
        var b = new TemplateIndex();
        var random = new Random(14);
        for (int i = 0; i < 60; i++) a.Assign(Wrapped(0, random));
        for (int i = 0; i < 40; i++) b.Assign(Wrapped(0, random));
        for (int i = 0; i < 10; i++) b.Assign(TemplateCorpus.RandomTask(random, 30));
        long aWrapper = a.GetTemplates()[0].Id;
        Assert.NotEqual(aWrapper, b.GetTemplates()[0].Id); // different founding prompts, different ids
        a.Merge(b);
        IReadOnlyList<TemplateInfo> merged = a.GetTemplates();
        Assert.Equal(aWrapper, merged[0].Id);
        Assert.Equal(100, merged[0].Count);
        Assert.Equal(11, merged.Count);
        Assert.Equal(110, a.AssignmentCount);
        Assert.Equal(aWrapper, a.Assign(Wrapped(0, random)));
    }

    [Fact]
    public void Merge_DifferentOptionsOrSelf_Throws()
    {
        var a = new TemplateIndex();
        Assert.Throws<ArgumentException>(() => a.Merge(new TemplateIndex(new TemplateIndexOptions { Seed = 1 })));
        Assert.Throws<ArgumentException>(() => a.Merge(a));
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemplateIndex(new TemplateIndexOptions { NearDuplicateThreshold = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemplateIndex(new TemplateIndexOptions { HashCount = 8 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemplateIndex(new TemplateIndexOptions { CoreFraction = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemplateIndex(new TemplateIndexOptions { MaxTemplates = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemplateIndex(new TemplateIndexOptions { NearDuplicateCapacity = 1 << 24, HashCount = 1024 }));
    }

    [Property(MaxTest = 300)]
    public bool Assign_AnyString_ReturnsPositiveIdAndNeverThrows(string? text)
    {
        var index = new TemplateIndex(new TemplateIndexOptions { MaxSegments = 1024, NearDuplicateCapacity = 16, MaxTemplates = 16 });
        string s = text ?? "";
        long first = index.Assign(s);
        long second = index.Assign(s);
        return first > 0 && second > 0;
    }

    [Property(MaxTest = 200)]
    public Property Assign_RandomUtf16_NeverThrows()
    {
        Gen<string> gen = Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(i => (char)i)).Select(a => new string(a));
        return Prop.ForAll(gen.ToArbitrary(), s => new TemplateIndex(new TemplateIndexOptions { MaxSegments = 1024, NearDuplicateCapacity = 16 }).Assign(s) > 0);
    }
}
