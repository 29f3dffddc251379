using System.Diagnostics.CodeAnalysis;

namespace DistillDetect.Fingerprints;

/// <summary>Throw helpers for the LSH types: keeps the throwing code out of the hot methods so they stay small and inlinable.</summary>
internal static class LshThrow
{
    [DoesNotReturn]
    public static void ArgumentOutOfRange(string parameter, string message) => throw new ArgumentOutOfRangeException(parameter, message);

    [DoesNotReturn]
    public static void Argument(string parameter, string message) => throw new ArgumentException(message, parameter);

    [DoesNotReturn]
    public static void SignatureLength(int actual, int expected, string parameter = "signature") =>
        throw new ArgumentException($"The signature has {actual} values but this index expects {expected} (its HashCount).", parameter);

    [DoesNotReturn]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);
}
