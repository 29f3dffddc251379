using System.Diagnostics.CodeAnalysis;

namespace DistillDetect.Fingerprints;

/// <summary>Throw helper of the template types, so the hot methods stay small and inlinable.</summary>
internal static class TemplateThrow
{
    [DoesNotReturn]
    public static void OptionOutOfRange(string name, string rule) =>
        throw new ArgumentOutOfRangeException(name, $"TemplateIndexOptions.{name} {rule}.");

    [DoesNotReturn]
    public static void SignatureLength(int actual, int expected, string parameter) =>
        throw new ArgumentException($"The signature has {actual} values but this TemplateIndex uses {expected} (TemplateIndexOptions.HashCount).", parameter);

    [DoesNotReturn]
    public static void OptionsDiffer(string detail, string parameter) =>
        throw new ArgumentException($"Template indexes with different options cannot be merged: {detail}.", parameter);

    [DoesNotReturn]
    public static void SameInstance(string parameter) =>
        throw new ArgumentException("A template index cannot be merged into itself.", parameter);

    [DoesNotReturn]
    public static void InvalidState(string message) =>
        throw new InvalidDataException($"TemplateIndex: {message}");
}
