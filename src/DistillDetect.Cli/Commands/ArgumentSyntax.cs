namespace DistillDetect.Cli.Commands;

/// <summary>What a command accepts: positional names, options that take a value, and flags.</summary>
/// <param name="Positionals">Names of the positional arguments in order (e.g. <c>REPORT</c>, <c>TRUTH</c>).</param>
/// <param name="RequiredPositionals">How many of <paramref name="Positionals"/> must be given.</param>
/// <param name="ValueOptions">Options that take one value, with their dashes (e.g. <c>--output</c>).</param>
/// <param name="Flags">Options without a value (e.g. <c>--json</c>).</param>
internal sealed record ArgumentSyntax(
    IReadOnlyList<string> Positionals,
    int RequiredPositionals,
    IReadOnlyList<string> ValueOptions,
    IReadOnlyList<string> Flags);
