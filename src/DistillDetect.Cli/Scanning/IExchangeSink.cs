namespace DistillDetect.Cli.Scanning;

/// <summary>Receives exchanges one at a time as spans (valid only during the call).</summary>
internal interface IExchangeSink
{
    /// <summary>Takes one exchange: the account id, its time in UTC ticks, and the prompt.</summary>
    void Observe(ReadOnlySpan<char> account, long utcTicks, ReadOnlySpan<char> prompt);
}
