namespace DistillDetect.Cli.Simulation;

/// <summary>How an account's requests are spread over its active time.</summary>
internal enum ArrivalProcess : byte
{
    /// <summary>A fixed interval with +-50 % jitter (gaps between 0.5 and 1.5 times the interval).</summary>
    JitteredInterval,

    /// <summary>A Poisson stream (exponential gaps), conditioned on the account's exact count.</summary>
    Poisson,

    /// <summary>Human sessions: bursts of a few requests seconds to minutes apart, sessions at random times of the waking day.</summary>
    Sessions,
}
