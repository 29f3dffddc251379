namespace DistillDetect.RatePatterns;

/// <summary>The scalar gap figures of an <see cref="InterArrivalState"/> with its reorder buffer applied.</summary>
/// <param name="Count">Timestamps.</param>
/// <param name="First">Earliest timestamp (ticks).</param>
/// <param name="Last">Latest timestamp (ticks).</param>
/// <param name="Mean">Mean gap, seconds.</param>
/// <param name="M2">Sum of squared deviations of the gaps, seconds squared.</param>
/// <param name="MinGap">Shortest gap, ticks.</param>
internal readonly record struct GapMoments(long Count, long First, long Last, double Mean, double M2, long MinGap)
{
    /// <summary>Number of gaps.</summary>
    public long Gaps => Count > 0 ? Count - 1 : 0;
}
