namespace DistillDetect.Fingerprints;

/// <summary>How a <see cref="MinHasher"/> turns a set of element hashes into a signature.</summary>
public enum MinHashScheme
{
    /// <summary>
    /// Default. One-permutation hashing (Li, Owen and Zhang 2012): one hash per element picks a bin and a
    /// value, each bin keeps its minimum; empty bins are filled by optimal densification (Shrivastava 2017,
    /// "Optimal Densification for Fast and Accurate Minwise Hashing"), which keeps the estimator unbiased
    /// for sets of any size. Cost O(n + k) per set of n elements.
    /// </summary>
    OnePermutation = 0,

    /// <summary>
    /// Classic MinHash (Broder 1997) with k independent hash functions, each the permutation
    /// (a*x + b) mod (2^61 - 1) computed exactly in 128-bit arithmetic. Cost O(n * k); kept for comparison.
    /// </summary>
    KIndependent = 1,
}
