namespace DistillDetect.Text;

/// <summary>
/// Optional folds applied by <see cref="PromptNormalizer"/> on top of the fixed ones
/// (compatibility forms, case, invisible characters, look-alike letters, whitespace and punctuation runs).
/// </summary>
[Flags]
public enum NormalizationOptions
{
    /// <summary>Only the fixed folds.</summary>
    None = 0,

    /// <summary>
    /// Every run of decimal digits (any script, after compatibility folding) becomes the single placeholder
    /// character <c>'0'</c>, so "Task 17" and "Task 912" normalize to the same text ("task 0").
    /// Digit runs interrupted only by invisible characters count as one run.
    /// </summary>
    MaskNumbers = 1,
}
