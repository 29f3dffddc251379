namespace DistillDetect.Cli.Simulation;

/// <summary>Names of the hard-negative groups in <c>truth.json</c>: legitimate traffic that looks campaign-like in one respect.</summary>
internal static class HardNegativeKind
{
    /// <summary>Individual developers who send large volumes of coding prompts with human timing.</summary>
    public const string HeavyCoders = "heavy_coders";

    /// <summary>One company's many service keys running one batch template over varied data, machine timing, business hours.</summary>
    public const string ServiceKeys = "service_keys";

    /// <summary>Unrelated people who each paste the same popular prompt once or a few times.</summary>
    public const string PopularPrompt = "popular_prompt";
}
