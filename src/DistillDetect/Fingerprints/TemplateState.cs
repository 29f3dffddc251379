namespace DistillDetect.Fingerprints;

/// <summary>
/// Mutable counters of one template. Fields are updated with <see cref="Interlocked"/> by concurrent
/// <see cref="TemplateIndex.Assign(ReadOnlySpan{char})"/> callers; the object is created once per template.
/// </summary>
internal sealed class TemplateState
{
    public TemplateState(long id, string example, long order)
    {
        Id = id;
        Example = example;
        First = order;
        Last = order;
    }

    public long Id { get; }
    public string Example { get; set; }
    public long Count;
    public long First;
    public long Last;
    /// <summary>Sum over segment-based joins of the shared core words, and their number.</summary>
    public long EvidenceSum;
    public long EvidenceJoins;
    /// <summary>Id of the template this one was folded into (a reworded copy of its wrapper), else 0.</summary>
    public long AliasOf;

    public void Touch(long order)
    {
        long last = Volatile.Read(ref Last);
        while (order > last)
        {
            long seen = Interlocked.CompareExchange(ref Last, order, last);
            if (seen == last) break;
            last = seen;
        }
    }

    public TemplateInfo ToInfo() => new(Id, Volatile.Read(ref Count), Example, Volatile.Read(ref First), Volatile.Read(ref Last));
}
