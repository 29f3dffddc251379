using System.Diagnostics.CodeAnalysis;

namespace DistillDetect.RatePatterns;

/// <summary>Throws kept out of line so the methods that call them stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void DestinationTooShort(string parameter, int needed) =>
        throw new ArgumentException($"The destination must hold at least {needed} values.", parameter);

    [DoesNotReturn]
    internal static void OutOfRange(string parameter, string message) =>
        throw new ArgumentOutOfRangeException(parameter, message);

    [DoesNotReturn]
    internal static void ParametersDiffer(string parameter, string message) =>
        throw new ArgumentException(message, parameter);
}
