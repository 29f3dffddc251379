using System.Diagnostics.CodeAnalysis;

namespace DistillDetect;

/// <summary>The range check every options record of the library throws through (one message shape everywhere).</summary>
internal static class OptionGuard
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/>: "<paramref name="name"/> must be in <paramref name="range"/>."</summary>
    [DoesNotReturn]
    public static void OutOfRange<T>(string name, T value, string range) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must be in {range}.");
}
