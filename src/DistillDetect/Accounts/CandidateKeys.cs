namespace DistillDetect.Accounts;

/// <summary>
/// One account's LSH band keys for <see cref="CandidatePairFinder"/>: one key per band of the usage-weighted template
/// signature and one per band of the synchronized-activity signature. They depend only on the profile and the
/// finder's options, so a caller that analyzes the same accounts again and again (the detector's hourly analysis)
/// keeps them and recomputes them only for accounts whose profile changed. Not thread-safe; one writer.
/// </summary>
internal sealed class CandidateKeys
{
    public CandidateKeys(int templateBands, int synchronizationBands)
    {
        TemplateKeys = new ulong[templateBands];
        SynchronizationKeys = new ulong[synchronizationBands];
    }

    /// <summary>Band keys of the usage-weighted template signature (meaningful when <see cref="HasTemplates"/>).</summary>
    public ulong[] TemplateKeys { get; }

    /// <summary>Band keys of the synchronized-activity signature (meaningful when <see cref="HasSynchronization"/>).</summary>
    public ulong[] SynchronizationKeys { get; }

    /// <summary>False when the template signature is empty (the account takes no part in that family).</summary>
    public bool HasTemplates { get; set; }

    /// <summary>False when the synchronization signature is empty.</summary>
    public bool HasSynchronization { get; set; }

    /// <summary>Bumped by every <see cref="CandidatePairFinder.ComputeKeys"/>.</summary>
    public int Version { get; set; }

    // Bookkeeping of a CandidateBuckets index: its slot there (-1 when not in it) and at which Version these keys are in
    // it, and this run's position among the accounts with enough exchanges (Stamp marks the run that set Index).
    internal int Slot { get; set; } = -1;
    internal int IndexedVersion { get; set; }
    internal int Index { get; set; }
    internal int Stamp { get; set; }
}
