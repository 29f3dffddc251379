namespace DistillDetect.Text;

/// <summary>
/// Receives shingle hashes as they are produced, so a MinHash can consume them without an intermediate
/// buffer. Implemented by structs (and ref structs); the generic shingling loop is specialized per sink.
/// </summary>
internal interface IHashSink
{
    void Add(ulong hash);
}
