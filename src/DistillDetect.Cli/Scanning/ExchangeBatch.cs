using System.Buffers;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// A reusable block of exchanges handed from the parsing thread to an observing worker: the account and
/// prompt characters of every record copied into one pooled arena, with their offsets and the time. One copy
/// per character and no string per record. Not thread-safe: one thread fills it, then one thread reads it.
/// </summary>
internal sealed class ExchangeBatch : IDisposable
{
    /// <summary>Records per batch: enough to amortize the hand-over (about a microsecond) over a few milliseconds of work.</summary>
    public const int RecordCapacity = 2048;

    /// <summary>Characters per batch arena (1 MB of UTF-16); a single longer record grows it.</summary>
    public const int CharCapacity = 1 << 19;

    private char[] _chars = ArrayPool<char>.Shared.Rent(CharCapacity);
    private readonly Entry[] _entries = new Entry[RecordCapacity];
    private int _charCount;

    /// <summary>Records held.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Appends one record; returns false (and appends nothing) when the batch is full. An empty batch always
    /// accepts, growing its arena for a record longer than <see cref="CharCapacity"/>.
    /// </summary>
    public bool TryAdd(ReadOnlySpan<char> account, long ticks, ReadOnlySpan<char> prompt)
    {
        int needed = account.Length + prompt.Length;
        if (Count == RecordCapacity || _charCount + needed > _chars.Length)
        {
            if (Count > 0)
            {
                return false;
            }
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(needed);
        }
        int start = _charCount;
        account.CopyTo(_chars.AsSpan(start));
        prompt.CopyTo(_chars.AsSpan(start + account.Length));
        _entries[Count++] = new Entry(ticks, start, account.Length, prompt.Length);
        _charCount = start + needed;
        return true;
    }

    /// <summary>The account of record <paramref name="index"/>.</summary>
    public ReadOnlySpan<char> Account(int index)
    {
        ref readonly Entry e = ref _entries[index];
        return _chars.AsSpan(e.Start, e.AccountLength);
    }

    /// <summary>The prompt of record <paramref name="index"/>.</summary>
    public ReadOnlySpan<char> Prompt(int index)
    {
        ref readonly Entry e = ref _entries[index];
        return _chars.AsSpan(e.Start + e.AccountLength, e.PromptLength);
    }

    /// <summary>UTC ticks of record <paramref name="index"/>.</summary>
    public long Ticks(int index) => _entries[index].Ticks;

    /// <summary>Empties the batch for reuse; an arena grown for a huge record goes back to the normal size.</summary>
    public void Clear()
    {
        Count = 0;
        _charCount = 0;
        if (_chars.Length > 4 * CharCapacity)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(CharCapacity);
        }
    }

    /// <summary>Returns the arena to the pool.</summary>
    public void Dispose()
    {
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }
    }

    private readonly record struct Entry(long Ticks, int Start, int AccountLength, int PromptLength);
}
