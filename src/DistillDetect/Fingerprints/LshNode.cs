using System.Runtime.InteropServices;

namespace DistillDetect.Fingerprints;

/// <summary>
/// One entry's link in one band's bucket chain: the 32-bit band key (compared before the id is read, so that
/// entries sharing a bucket by accident are skipped) and the next slot in the chain (-1 at the end).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LshNode
{
    public uint Key;
    public int Next;
}
