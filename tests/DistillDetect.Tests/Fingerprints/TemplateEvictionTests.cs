using DistillDetect.Fingerprints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

/// <summary>
/// The template eviction pass (a selection over a flat array, not a sort) drops exactly the templates the
/// documented policy names: the eighth of the templates with the lowest (count, last assignment).
/// </summary>
public class TemplateEvictionTests
{
    [Fact]
    public void Assign_EveryEvictionPass_DropsTheLowestEighthByCountThenLastAssignment()
    {
        var index = new TemplateIndex(new TemplateIndexOptions { MaxTemplates = 64, MaxSegments = 4096, NearDuplicateCapacity = 256 });
        var random = new Random(21);
        var earlier = new List<string>();
        int passes = 0;
        for (int i = 0; i < 1500; i++)
        {
            // Mostly unseen prompts (each founds a template), some repeats so counts differ.
            string prompt = earlier.Count > 0 && random.Next(3) == 0
                ? earlier[random.Next(Math.Min(earlier.Count, 200))]
                : TemplateCorpus.RandomTask(random, 30);
            earlier.Add(prompt);
            IReadOnlyList<TemplateInfo> before = index.GetTemplates();
            int count = index.TemplateCount;
            long id = index.Assign(prompt);
            if (index.TemplateCount > count || (index.TemplateCount == count && before.Any(t => t.Id == id))) continue;
            // A pass ran: the naive reference sorts the templates by (count, last assignment) and drops the first eighth.
            passes++;
            var sorted = before.OrderBy(t => t.Count).ThenBy(t => t.LastAssignment).ToList();
            int drop = Math.Max(1, sorted.Count / 8);
            var expected = sorted.Skip(drop).Select(t => t.Id).Append(id).Order().ToList();
            var actual = index.GetTemplates().Select(t => t.Id).Order().ToList();
            Assert.Equal(expected, actual);
        }
        // 1,000 foundings into 64 slots, 8 per pass: well over 100 passes; the test must have exercised many.
        Assert.True(passes > 50, $"only {passes} eviction passes ran");
    }

    [Property(MaxTest = 200)]
    public Property SelectSmallest_AnyKeys_EqualsSortedElement(int seed)
    {
        var random = new Random(seed);
        int n = random.Next(1, 400);
        // Few distinct values as well as many, so runs of equal keys are covered.
        int range = random.Next(2) == 0 ? 4 : int.MaxValue;
        ulong[] keys = new ulong[n];
        for (int i = 0; i < n; i++) keys[i] = (ulong)random.Next(range);
        int k = random.Next(n);
        ulong[] sorted = [.. keys];
        Array.Sort(sorted);
        UInt128[] wide = [.. keys.Select(x => new UInt128(x % 3, x))];
        UInt128[] wideSorted = [.. wide];
        Array.Sort(wideSorted);
        return (TemplateIndex.SelectSmallest(keys.AsSpan(), k) == sorted[k]
            && TemplateIndex.SelectSmallest(wide.AsSpan(), k) == wideSorted[k]).ToProperty();
    }
}
