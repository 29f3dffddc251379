namespace DistillDetect.Accounts;

/// <summary>
/// Parameters of an <see cref="AccountProfile"/>. Profiles can be merged and compared only when their
/// options are equal (record equality). The defaults keep a profile within the documented 2 KB budget
/// (see <see cref="AccountProfile.ApproximateMemoryBytes"/>). Immutable, thread-safe.
/// </summary>
public sealed record AccountProfileOptions
{
    /// <summary>Default seed of the profile hashes. Set your own per deployment: an attacker who knows the seed can aim collisions.</summary>
    public const long DefaultSeed = 0x5DEECE66DL;

    /// <summary>Shared default instance.</summary>
    public static AccountProfileOptions Default { get; } = new();

    /// <summary>Bins of the one-permutation MinHash over the set of template ids (8 to 512, default 64: 256 B; Jaccard standard error about sqrt(J(1-J)/64), 0.06 at J = 0.5).</summary>
    public int TemplateHashCount { get; init; } = 64;

    /// <summary>Bins of the one-permutation MinHash over (template id, time window) pairs used for synchronized activity (8 to 512, default 64).</summary>
    public int SynchronizationHashCount { get; init; } = 64;

    /// <summary>Width of the time windows of synchronized activity (default 1 hour; 1 minute to 7 days). Two actions on the same template in the same window count as synchronized (SynchroTrap, Cao et al. 2014).</summary>
    public TimeSpan SynchronizationWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Number of most-used template ids kept per account (Space-Saving counters, 1 to 64, default 8); they name the shared templates in cohort evidence.</summary>
    public int TopTemplateCount { get; init; } = 8;

    /// <summary>Seed of every hash in the profile.</summary>
    public long Seed { get; init; } = DefaultSeed;

    /// <summary>Checks every parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its documented range.</exception>
    public void Validate()
    {
        if (TemplateHashCount is < 8 or > 512) AccountsThrow.OutOfRange(nameof(TemplateHashCount), TemplateHashCount, "8 to 512");
        if (SynchronizationHashCount is < 8 or > 512) AccountsThrow.OutOfRange(nameof(SynchronizationHashCount), SynchronizationHashCount, "8 to 512");
        if (SynchronizationWindow < TimeSpan.FromMinutes(1) || SynchronizationWindow > TimeSpan.FromDays(7)) AccountsThrow.OutOfRange(nameof(SynchronizationWindow), SynchronizationWindow, "1 minute to 7 days");
        if (TopTemplateCount is < 1 or > 64) AccountsThrow.OutOfRange(nameof(TopTemplateCount), TopTemplateCount, "1 to 64");
    }
}
