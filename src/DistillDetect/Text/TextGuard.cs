using System.Diagnostics.CodeAnalysis;

namespace DistillDetect.Text;

/// <summary>
/// Throw helper for the text and MinHash primitives: throwing from a separate non-inlined method keeps
/// the hot methods small enough to inline and free of exception-construction code.
/// </summary>
internal static class TextGuard
{
    [DoesNotReturn]
    internal static void Argument(string parameter, string message) =>
        throw new ArgumentException($"'{parameter}' {message}", parameter);

    [DoesNotReturn]
    internal static void ArgumentOutOfRange(string parameter, string message) =>
        throw new ArgumentOutOfRangeException(parameter, $"'{parameter}' {message}");

    [DoesNotReturn]
    internal static void InvalidData(string message) => throw new InvalidDataException(message);
}
