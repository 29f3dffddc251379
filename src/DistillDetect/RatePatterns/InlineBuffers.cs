using System.Runtime.CompilerServices;

namespace DistillDetect.RatePatterns;

// Fixed-size buffers stored inline in the owning state, so a per-account state is one object with no
// separate arrays (no extra headers or pointers, one cache-friendly block).

/// <summary>The reorder buffer: pending timestamps (UTC ticks), ascending.</summary>
[InlineArray(InterArrivalState.MaxReorderCapacity)]
internal struct ReorderTicks
{
    private long _element;
}

/// <summary>The most recent gaps (ticks), a ring.</summary>
[InlineArray(InterArrivalState.RecentCapacity)]
internal struct RecentGapTicks
{
    private long _element;
}

/// <summary>Counts of gaps per octave bin (see <see cref="TimingMath.GapBin"/>).</summary>
[InlineArray(TimingMath.GapBinCount)]
internal struct GapBinCounts
{
    private uint _element;
}

/// <summary>Counts per hour of the week (Monday 00:00 UTC = bin 0).</summary>
[InlineArray(ActivityHistogram.HoursPerWeek)]
internal struct HourOfWeekCounts
{
    private ushort _element;
}

/// <summary>A 256-bit set of active days relative to a base day.</summary>
[InlineArray(ActivityHistogram.DayWindow / 64)]
internal struct DayBits
{
    private ulong _element;
}
