namespace DistillDetect.Accounts;

/// <summary>How <see cref="CohortFinder"/> clusters the similarity graph of candidate pairs.</summary>
public enum CohortClustering
{
    /// <summary>
    /// Density-aware: inside each connected component, peel accounts of small weighted degree (weighted
    /// k-core), then split the core by greedy densest-subgraph peeling (Charikar 2000; the peeling of
    /// Fraudar, Hooi et al. 2016) and let leftover core accounts join the cohort they are most tied to. A
    /// few bridge or camouflage edges barely change a dense group's density, so they cannot glue it to
    /// unrelated accounts. It pays for this with recall: members tied by only one or two edges are peeled.
    /// </summary>
    DensePeeling = 1,

    /// <summary>
    /// Connected components of the edges at or above the threshold: simple and fast, but one bridge edge
    /// merges two groups. The default: on the synthetic worlds (see the README) no bridge reached the edge
    /// threshold, and components kept the weakly tied campaign members that peeling drops.
    /// </summary>
    ConnectedComponents = 0,
}
