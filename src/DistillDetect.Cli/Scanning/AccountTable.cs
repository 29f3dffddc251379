using System.Runtime.InteropServices;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// Per-account <see cref="AccountTally"/> values keyed by account id, found by a span without allocating
/// (a string is made only on an account's first exchange). Memory: about 100 bytes per account plus its id
/// string. Not thread-safe: the parallel scan gives each worker its own table over a disjoint set of accounts.
/// </summary>
internal sealed class AccountTable
{
    private readonly Dictionary<string, AccountTally> _tallies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountTally>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates an empty table.</summary>
    public AccountTable()
    {
        _lookup = _tallies.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Distinct accounts recorded.</summary>
    public int Count => _tallies.Count;

    /// <summary>Exchanges recorded in total.</summary>
    public long Exchanges { get; private set; }

    /// <summary>Exchanges that arrived before a later exchange of the same account (see <see cref="AccountTally.OutOfOrder"/>).</summary>
    public long OutOfOrder { get; private set; }

    /// <summary>
    /// Records one exchange and returns the account's tally (valid until the next call that adds an account).
    /// O(account length); allocates only on an account's first exchange.
    /// </summary>
    public ref AccountTally Record(ReadOnlySpan<char> account, long ticks)
    {
        ref AccountTally tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, account, out bool exists);
        if (!exists)
        {
            tally.FirstTicks = ticks;
            tally.LastTicks = ticks;
            tally.FirstFlaggedTicks = AccountTally.NotFlagged;
        }
        else
        {
            if (ticks < tally.LastTicks)
            {
                tally.OutOfOrder++;
                OutOfOrder++;
            }
            else
            {
                tally.LastTicks = ticks;
            }
            if (ticks < tally.FirstTicks)
            {
                tally.FirstTicks = ticks;
            }
        }
        tally.Exchanges++;
        Exchanges++;
        return ref tally;
    }

    /// <summary>The tally of <paramref name="account"/>, or a null reference when it was never recorded.</summary>
    public ref AccountTally Find(ReadOnlySpan<char> account) => ref CollectionsMarshal.GetValueRefOrNullRef(_lookup, account);

    /// <summary>Moves every entry of <paramref name="other"/> (whose accounts must not be in this table) here.</summary>
    public void Absorb(AccountTable other)
    {
        foreach (KeyValuePair<string, AccountTally> pair in other._tallies)
        {
            if (!_tallies.TryAdd(pair.Key, pair.Value))
            {
                throw new InvalidOperationException($"account '{pair.Key}' is in two scan partitions.");
            }
        }
        Exchanges += other.Exchanges;
        OutOfOrder += other.OutOfOrder;
        other._tallies.Clear();
    }

    /// <summary>Every account and its tally, in no particular order.</summary>
    public IEnumerable<KeyValuePair<string, AccountTally>> Entries => _tallies;
}
