using DistillDetect.Cli.Simulation;

namespace DistillDetect.Cli.Scanning;

/// <summary>The simulator's exchanges, in its time order, as an <see cref="IExchangeSource"/>; counts the characters it hands out.</summary>
internal sealed class SimulatedSource : IExchangeSource, IDisposable
{
    private readonly IEnumerator<SimulatedExchange> _exchanges;
    private SimulatedExchange _current;

    /// <summary>Creates a source over <paramref name="simulator"/>'s traffic.</summary>
    public SimulatedSource(TrafficSimulator simulator)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        _exchanges = simulator.GetEnumerator();
    }

    /// <summary>Characters of account ids and prompts handed out so far (the demo's stand-in for input bytes).</summary>
    public long Characters { get; private set; }

    /// <inheritdoc/>
    public bool MoveNext()
    {
        if (!_exchanges.MoveNext()) return false;
        _current = _exchanges.Current;
        Characters += _current.Account.Length + _current.Prompt.Length;
        return true;
    }

    /// <inheritdoc/>
    public ReadOnlySpan<char> Account => _current.Account;

    /// <inheritdoc/>
    public DateTimeOffset Timestamp => _current.Timestamp;

    /// <inheritdoc/>
    public ReadOnlySpan<char> Prompt => _current.Prompt;

    /// <inheritdoc/>
    public void Dispose() => _exchanges.Dispose();
}
