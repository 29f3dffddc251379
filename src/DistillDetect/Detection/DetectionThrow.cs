using System.Diagnostics.CodeAnalysis;

namespace DistillDetect.Detection;

/// <summary>Throw helpers keep the detector's hot methods small enough to inline.</summary>
internal static class DetectionThrow
{
    [DoesNotReturn]
    public static void OptionsDiffer(string what, string name) =>
        throw new ArgumentException($"The detectors were built with different DetectionOptions ({what}); only detectors with equal options can be merged.", name);

    [DoesNotReturn]
    public static void SameInstance(string name) =>
        throw new ArgumentException("A detector cannot be merged into itself.", name);

    [DoesNotReturn]
    public static void Invalid(string message) => throw new InvalidDataException("DistillationDetector: " + message);
}
