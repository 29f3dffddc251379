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
    /// Density-aware clustering of one connected component, in three steps. (1) Weighted core: repeatedly
    /// drop accounts whose weighted degree is below <paramref name="minCoreDegree"/> (the weighted k-core,
    /// Batagelj and Zaversnik 2003), so an outsider tied by one camouflage or coincidence edge falls away.
    /// (2) Greedy densest-subgraph peeling (Charikar 2000, as in Fraudar, Hooi et al. 2016) on each part of
    /// the core: remove the account of smallest weighted degree until none is left, keep the densest
    /// remainder (weight per account) as a cohort when it has <paramref name="minSize"/> accounts and
    /// density <paramref name="minDensity"/>, and repeat on what is left, so two dense groups joined by a
    /// few bridges come out apart. (3) Core accounts left over join the cohort they have most weight to.
    /// Each round is O(e log n) with a lazy binary heap.
    /// </summary>
    public List<int[]> Peel(int[] component, int minSize, double minDensity, double minCoreDegree)
    {
        var result = new List<int[]>();
        var core = new HashSet<int>(component);
        var degree = new Dictionary<int, double>(component.Length);
        foreach (int v in component) degree[v] = WeightedDegree(v, core);
        var queue = new Queue<int>();
        foreach (int v in component)
        {
            if (degree[v] < minCoreDegree) queue.Enqueue(v);
        }
        while (queue.TryDequeue(out int v))
        {
            if (!core.Remove(v)) continue;
            for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
            {
                int u = _neighbours[e];
                if (!core.Contains(u)) continue;
                double du = degree[u] -= _weights[e];
                if (du < minCoreDegree) queue.Enqueue(u);
            }
        }
        foreach (int[] part in ComponentsOf(core))
        {
            if (part.Length < minSize) continue;
            List<int[]> dense = Densest(part, minSize, minDensity);
            if (dense.Count == 0) continue;
            var owner = new Dictionary<int, int>();
            for (int c = 0; c < dense.Count; c++)
            {
                foreach (int v in dense[c]) owner[v] = c;
            }
            var members = new List<List<int>>();
            foreach (int[] d in dense) members.Add([.. d]);
            var toCohort = new double[dense.Count];
            foreach (int v in part)
            {
                if (owner.ContainsKey(v)) continue;
                Array.Clear(toCohort);
                for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
                {
                    if (owner.TryGetValue(_neighbours[e], out int c)) toCohort[c] += _weights[e];
                }
                int best = -1;
                for (int c = 0; c < toCohort.Length; c++)
                {
                    if (toCohort[c] > 0 && (best < 0 || toCohort[c] > toCohort[best])) best = c;
                }
                if (best >= 0) members[best].Add(v);
            }
            foreach (List<int> m in members) result.Add([.. m]);
        }
        return result;
    }

    private double WeightedDegree(int v, HashSet<int> within)
    {
        double d = 0;
        for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
        {
            if (within.Contains(_neighbours[e])) d += _weights[e];
        }
        return d;
    }

    private List<int[]> ComponentsOf(HashSet<int> nodes)
    {
        var result = new List<int[]>();
        var seen = new HashSet<int>();
        var queue = new List<int>();
        foreach (int s in nodes)
        {
            if (!seen.Add(s)) continue;
            queue.Clear();
            queue.Add(s);
            for (int head = 0; head < queue.Count; head++)
            {
                int v = queue[head];
                for (int e = _offsets[v]; e < _offsets[v + 1]; e++)
                {
                    int u = _neighbours[e];
                    if (nodes.Contains(u) && seen.Add(u)) queue.Add(u);
                }
            }
            result.Add([.. queue]);
        }
        return result;
    }

    private List<int[]> Densest(int[] component, int minSize, double minDensity)
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
                double d = WeightedDegree(v, active);
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
