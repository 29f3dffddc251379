namespace DistillDetect.Fingerprints;

/// <summary>How a <see cref="MinHasher"/> turns a set of element hashes into a signature.</summary>
public enum MinHashScheme
{
    /// <summary>
    /// Default. One-permutation hashing (Li, Owen and Zhang 2012): one hash per element picks a bin and a
    /// value, each bin keeps its minimum. Bins left empty by small sets are filled by further independent
    /// one-permutation rounds, each round's values ranking after the previous round's (Dahlgaard, Knudsen and
    /// Thorup 2017, "Fast Similarity Sketching"); only still-empty bins can change in later rounds. Unbiased,
    /// with the error of classic MinHash at every set size, including sets of a few elements where borrowing
    /// densification (<see cref="OptimalDensification"/>) is 20 to 50 % worse. Cost O(n (1 + rounds) + k);
    /// a 300-shingle prompt needs about 3 rounds.
    /// </summary>
    OnePermutation = 0,

    /// <summary>
    /// Classic MinHash (Broder 1997) with k independent hash functions, each the permutation
    /// (a*x + b) mod (2^61 - 1) computed exactly in 128-bit arithmetic. Cost O(n k); kept for comparison.
    /// </summary>
    KIndependent = 1,

    /// <summary>
    /// One-permutation hashing with optimal densification (Shrivastava 2017): an empty bin copies the value of
    /// the first non-empty bin along its own random probe sequence. Unbiased and O(n + k), but for sets of
    /// fewer than about k / 10 elements a collision of two elements in one bin is copied into many bins, so
    /// the error exceeds the classic sqrt(J(1-J)/k) (measured: 1.2 to 1.5 times for 2 to 12 elements at
    /// k = 128). Kept for comparison.
    /// </summary>
    OptimalDensification = 2,
}
