using System.Diagnostics.CodeAnalysis;

namespace DistillDetect.Accounts;

/// <summary>Throw helpers keep the hot methods of this namespace small enough to inline.</summary>
internal static class AccountsThrow
{
    [DoesNotReturn]
    public static void Argument(string message, string name) => throw new ArgumentException(message, name);

    [DoesNotReturn]
    public static void OptionsDiffer(string name) =>
        throw new ArgumentException("The profiles were built with different AccountProfileOptions; only profiles with equal options can be merged or compared.", name);
}
