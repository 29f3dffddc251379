namespace DistillDetect.Accounts;

/// <summary>How <see cref="CohortFinder"/> clusters the similarity graph of candidate pairs.</summary>
public enum CohortClustering
{
    /// <summary>
    /// Greedy densest-subgraph peeling (Charikar 2000; the peeling of Fraudar, Hooi et al. 2016) inside each
    /// connected component: repeatedly remove the account with the smallest weighted degree and keep the
    /// densest remainder (edge weight per account) as a cohort, then repeat on what is left. A few bridge or
    /// camouflage edges to outsiders barely change a dense group's density, so they cannot glue it to
    /// unrelated accounts. The default (it measured better; see the README).
    /// </summary>
    DensePeeling = 0,

    /// <summary>Connected components of the edges at or above the threshold: simple and fast, but one bridge edge merges two groups.</summary>
    ConnectedComponents = 1,
}
