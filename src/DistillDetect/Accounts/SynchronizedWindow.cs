namespace DistillDetect.Accounts;

/// <summary>A time window in which several members of a cohort acted on the same template (from matching synchronization-sketch minima).</summary>
/// <param name="StartUtc">Start of the window, UTC.</param>
/// <param name="Length">Window width (<see cref="AccountProfileOptions.SynchronizationWindow"/>).</param>
/// <param name="Accounts">Largest number of members seen sharing one (template, window) element in it: a lower bound on the synchronized accounts.</param>
public readonly record struct SynchronizedWindow(DateTime StartUtc, TimeSpan Length, int Accounts);
