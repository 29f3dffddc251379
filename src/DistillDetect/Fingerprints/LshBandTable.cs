namespace DistillDetect.Fingerprints;

/// <summary>
/// One band's bucket heads (index of the first slot of each chain, -1 when empty) and the reader-writer lock
/// that guards the band's chains. The lock is a single int: bits 0..30 count readers, bit 31 marks a writer.
/// A writer sets bit 31 first, which stops new readers, then waits for the readers inside to leave, so a
/// stream of queries cannot starve an insert. Only one writer runs at a time (LshIndex serializes writers),
/// so no writer-writer arbitration is needed. Uncontended, a reader pays one compare-exchange and one decrement.
/// </summary>
internal sealed class LshBandTable
{
    private const int WriterBit = int.MinValue;
    private int _state;

    public LshBandTable(int capacity)
    {
        Heads = new int[capacity];
        Array.Fill(Heads, -1);
    }

    /// <summary>Bucket heads; length is a power of two. Read only inside a read or write section.</summary>
    public int[] Heads { get; set; }

    public void EnterRead()
    {
        int state = Volatile.Read(ref _state);
        if (state >= 0 && Interlocked.CompareExchange(ref _state, state + 1, state) == state) return;
        EnterReadContended();
    }

    private void EnterReadContended()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state >= 0 && Interlocked.CompareExchange(ref _state, state + 1, state) == state) return;
            spinner.SpinOnce();
        }
    }

    public void ExitRead() => Interlocked.Decrement(ref _state);

    public void EnterWrite()
    {
        Interlocked.Or(ref _state, WriterBit);
        if (Volatile.Read(ref _state) == WriterBit) return;
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _state) != WriterBit) spinner.SpinOnce();
    }

    public void ExitWrite() => Volatile.Write(ref _state, 0);
}
