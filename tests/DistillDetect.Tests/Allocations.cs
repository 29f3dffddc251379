namespace DistillDetect.Tests;

/// <summary>Measures what code allocates on the calling thread, for the allocation-free claims.</summary>
internal static class Allocations
{
    /// <summary>
    /// The fewest bytes <paramref name="measured"/> allocated on this thread over up to <paramref name="rounds"/>
    /// runs, stopping at the first run that allocated nothing. <see cref="GC.GetAllocatedBytesForCurrentThread"/>
    /// also charges a thread for things its code did not allocate: the unused tail of its allocation context (up
    /// to about 8 KB) when a garbage collection started by another test retires it, and what the JIT allocates on
    /// the thread while it installs recompiled code. Neither happens on every run; an allocation the measured code
    /// makes does, so it shows in every round and the minimum is not zero. Each run must do the same work.
    /// </summary>
    public static long Fewest(Action measured, int rounds = 5)
    {
        ArgumentNullException.ThrowIfNull(measured);
        long fewest = long.MaxValue;
        for (int round = 0; round < rounds && fewest != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            measured();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
