namespace DistillDetect.Cli.Simulation;

/// <summary>Which population an account belongs to (the simulator's ground truth).</summary>
internal enum AccountRole : byte
{
    /// <summary>Ordinary user: everyday and coding requests, human timing.</summary>
    Ordinary,

    /// <summary>A distillation campaign's account.</summary>
    Campaign,

    /// <summary>Hard negative: heavy individual coder.</summary>
    HeavyCoder,

    /// <summary>Hard negative: a company's service key running a batch template.</summary>
    ServiceKey,

    /// <summary>Hard negative: an ordinary user who pastes a popular prompt once or a few times.</summary>
    PopularPrompt,
}
