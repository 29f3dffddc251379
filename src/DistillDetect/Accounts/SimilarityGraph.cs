namespace DistillDetect.Accounts;

/// <summary>
/// Weighted undirected graph of accounts in compressed sparse row form (edges = candidate pairs at or above
/// the edge threshold), with connected components and greedy densest-subgraph peeling.
/// </summary>
internal sealed class SimilarityGraph
{
    private readonly int[] _offsets;
    private readonly int[] _neighbours;
    private readonly float[] _weights;

    private SimilarityGraph(int[] offsets, int[] neighbours, float[] weights)
    {
        _offsets = offsets;
        _neighbours = neighbours;
        _weights = weights;
    }

    public int NodeCount => _offsets.Length - 1;

    public int EdgeCount => _neighbours.Length / 2;

    public static SimilarityGraph Build(int nodeCount, CandidatePair[] pairs, float[] scores, float threshold)
    {
        var degree = new int[nodeCount + 1];
        for (int i = 0; i < pairs.Length; i++)
        {
            if (scores[i] < threshold) continue;
            degree[pairs[i].First]++;
            degree[pairs[i].Second]++;
        }
        var offsets = new int[nodeCount + 1];
        for (int v = 0; v < nodeCount; v++) offsets[v + 1] = offsets[v] + degree[v];
        var neighbours = new int[offsets[nodeCount]];
        var weights = new float[offsets[nodeCount]];
        var fill = new int[nodeCount];
        Array.Copy(offsets, fill, nodeCount);
        for (int i = 0; i < pairs.Length; i++)
        {
            if (scores[i] < threshold) continue;
            int a = pairs[i].First, b = pairs[i].Second;
            neighbours[fill[a]] = b;
            weights[fill[a]++] = scores[i];
            neighbours[fill[b]] = a;
            weights[fill[b]++] = scores[i];
        }
        return new SimilarityGraph(offsets, neighbours, weights);
    }

    /// <summary>Connected components with at least <paramref name="minSize"/> nodes (breadth-first search).</summary>
    public List<int[]> Components(int minSize)
    {
        int n = NodeCount;
        var seen = new bool[n];
        var result = new List<int[]>();
        var queue = new List<int>();
        for (int s = 0; s < n; s++)
        {
            if (seen[s] || _offsets[s] == _offsets[s + 1]) continue;
            queue.Clear();
            queue.Add(s);
            seen[s] = true;
            for (int head = 0; head < queue.Count; head++)
            {
                int v = queue[head];
                for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
                {
                    int u = _neighbours[e];
                    if (seen[u]) continue;
                    seen[u] = true;
                    queue.Add(u);
                }
            }
            if (queue.Count >= minSize) result.Add([.. queue]);
        }
        return result;
    }

    /// <summary>
    /// Greedy peeling (Charikar 2000) inside one component: remove the node of smallest weighted degree
    /// until none is left and keep the densest remainder (weight per node); report it when it has at
    /// least <paramref name="minSize"/> nodes and density <paramref name="minDensity"/>, drop it otherwise,
    /// and repeat on the nodes left. Each round is O(e log n) with a lazy binary heap.
    /// </summary>
    public List<int[]> Peel(int[] component, int minSize, double minDensity)
    {
        var result = new List<int[]>();
        var active = new HashSet<int>(component);
        var degree = new Dictionary<int, double>(component.Length);
        var heap = new PriorityQueue<int, double>(component.Length);
        var removed = new List<int>(component.Length);
        while (active.Count >= minSize)
        {
            double total = 0;
            degree.Clear();
            heap.Clear();
            foreach (int v in active)
            {
                double d = 0;
                for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
                {
                    if (active.Contains(_neighbours[e])) d += _weights[e];
                }
                degree[v] = d;
                total += d;
                heap.Enqueue(v, d);
            }
            total /= 2;
            int count = active.Count;
            double bestDensity = total / count;
            int bestStep = 0;
            removed.Clear();
            var alive = new HashSet<int>(active);
            while (heap.TryDequeue(out int v, out double d))
            {
                if (!alive.Contains(v) || d != degree[v]) continue;
                alive.Remove(v);
                removed.Add(v);
                total -= d;
                count--;
                for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
                {
                    int u = _neighbours[e];
                    if (!alive.Contains(u)) continue;
                    double du = degree[u] - _weights[e];
                    degree[u] = du;
                    heap.Enqueue(u, du);
                }
                if (count > 0 && total / count > bestDensity + 1e-12)
                {
                    bestDensity = total / count;
                    bestStep = removed.Count;
                }
            }
            int[] densest = [.. removed.GetRange(bestStep, removed.Count - bestStep)];
            if (densest.Length >= minSize && bestDensity >= minDensity) result.Add(densest);
            else if (bestStep == 0) break; // the whole remainder is the densest part and it is not a cohort
            foreach (int v in densest) active.Remove(v);
        }
        return result;
    }

    /// <summary>Sum and number of edges with both ends in <paramref name="sortedMembers"/>.</summary>
    public void InternalWeight(int[] sortedMembers, out double sum, out int edges)
    {
        sum = 0;
        edges = 0;
        foreach (int v in sortedMembers)
        {
            for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
            {
                int u = _neighbours[e];
                if (u > v && Array.BinarySearch(sortedMembers, u) >= 0)
                {
                    sum += _weights[e];
                    edges++;
                }
            }
        }
    }
}
