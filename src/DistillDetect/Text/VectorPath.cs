namespace DistillDetect.Text;

/// <summary>
/// Which implementation of a vectorized hot loop to run. <see cref="Auto"/> picks the widest the machine
/// accelerates; tests force each path and check that all give bit-identical results.
/// </summary>
internal enum VectorPath
{
    Auto,
    Scalar,
    Vector256,
    Vector512,
}
