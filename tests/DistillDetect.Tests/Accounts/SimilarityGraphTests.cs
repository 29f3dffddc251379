using DistillDetect.Accounts;

namespace DistillDetect.Tests.Accounts;

public sealed class SimilarityGraphTests
{
    private static SimilarityGraph Graph(int n, params (int A, int B, float W)[] edges)
    {
        var pairs = edges.Select(e => new CandidatePair(Math.Min(e.A, e.B), Math.Max(e.A, e.B))).ToArray();
        return SimilarityGraph.Build(n, pairs, edges.Select(e => e.W).ToArray(), 0.5f);
    }

    private static List<(int, int, float)> Clique(int from, int count, float w)
    {
        var list = new List<(int, int, float)>();
        for (int i = from; i < from + count; i++)
            for (int j = i + 1; j < from + count; j++) list.Add((i, j, w));
        return list;
    }

    [Fact]
    public void Components_TwoCliquesJoinedByOneBridge_OneComponent_PeelingSplitsThem()
    {
        var edges = Clique(0, 10, 0.9f);
        edges.AddRange(Clique(10, 10, 0.8f));
        edges.Add((3, 14, 0.6f));
        SimilarityGraph g = Graph(20, [.. edges]);
        List<int[]> components = g.Components(5);
        Assert.Single(components);
        Assert.Equal(20, components[0].Length);
        List<int[]> peeled = g.Peel(components[0], minSize: 5, minDensity: 0.5, minCoreDegree: 1.0);
        Assert.Equal(2, peeled.Count);
        var sets = peeled.Select(p => p.Order().ToArray()).OrderBy(p => p[0]).ToList();
        Assert.Equal(Enumerable.Range(0, 10), sets[0]);
        Assert.Equal(Enumerable.Range(10, 10), sets[1]);
    }

    [Fact]
    public void Peel_CliqueWithPendantChain_DropsTheChain()
    {
        var edges = Clique(0, 8, 0.9f);
        edges.Add((0, 8, 0.6f));
        edges.Add((8, 9, 0.6f));
        edges.Add((9, 10, 0.6f));
        SimilarityGraph g = Graph(11, [.. edges]);
        int[] component = g.Components(5).Single();
        Assert.Equal(11, component.Length);
        int[] cohort = g.Peel(component, 5, 0.5, 1.0).Single();
        Assert.Equal(Enumerable.Range(0, 8), cohort.Order());
    }

    [Fact]
    public void Build_EdgesBelowThreshold_Ignored()
    {
        SimilarityGraph g = Graph(4, (0, 1, 0.49f), (2, 3, 0.5f));
        Assert.Equal(1, g.EdgeCount);
        Assert.Empty(g.Components(3));
    }
}
