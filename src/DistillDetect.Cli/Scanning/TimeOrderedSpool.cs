using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// Puts exchanges of any number and order back into time order with bounded memory (an external merge sort):
/// records collect in an in-memory chunk; a full chunk is sorted by (time, input position) and written to a
/// temporary file as one sorted run; <see cref="Drain"/> merges the runs and the last chunk with a heap.
/// </summary>
/// <remarks>
/// <para><b>Memory.</b> The chunk arena holds <c>chunkChars</c> UTF-16 characters (default
/// <see cref="DefaultChunkChars"/>: 128 MB) plus 32 bytes of index per buffered exchange; the merge adds a
/// 256 KB read buffer per run. Nothing else grows with the input: per exchange, memory is only its share of
/// the chunk while it is buffered (its characters x 2 bytes + 32 bytes).</para>
/// <para><b>Disk.</b> When the input exceeds one chunk, every record is written once to temporary files
/// (24 bytes + 2 bytes per character; deleted on dispose) and read back once. An input that fits in one chunk
/// never touches the disk.</para>
/// <para>Ties in time keep input order, so sorted input replays exactly in input order. Works for stdin too
/// (it never re-reads the input). Not thread-safe.</para>
/// </remarks>
internal sealed class TimeOrderedSpool : IDisposable
{
    /// <summary>Default chunk size in characters (64 M characters = 128 MB of UTF-16).</summary>
    public const int DefaultChunkChars = 1 << 26;

    private const int HeaderBytes = 24;
    private const int RunBufferBytes = 1 << 18;

    private readonly int _chunkChars;
    private readonly string _tempDirectory;
    private readonly List<string> _runFiles = [];
    private char[] _arena;
    private Entry[] _entries = new Entry[1024];
    private int _count;
    private int _used;
    private long _sequence;
    private bool _disposed;

    /// <summary>Creates an empty spool.</summary>
    /// <param name="chunkChars">Characters buffered in memory before a sorted run is written (at least 1,024).</param>
    /// <param name="tempDirectory">Where runs are written; the system temporary folder when null.</param>
    public TimeOrderedSpool(int chunkChars = DefaultChunkChars, string? tempDirectory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkChars, 1024);
        _chunkChars = chunkChars;
        _tempDirectory = tempDirectory ?? Path.GetTempPath();
        _arena = ArrayPool<char>.Shared.Rent(Math.Min(chunkChars, 1 << 16));
    }

    /// <summary>Exchanges added.</summary>
    public long Count => _sequence;

    /// <summary>Sorted runs written to disk so far.</summary>
    public int RunCount => _runFiles.Count;

    /// <summary>Bytes written to temporary run files.</summary>
    public long SpilledBytes { get; private set; }

    /// <summary>Adds one exchange (copied). Amortized O(length); writes a run when the chunk is full.</summary>
    public void Add(ReadOnlySpan<char> account, long utcTicks, ReadOnlySpan<char> prompt)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int needed = account.Length + prompt.Length;
        if (_used + needed > _chunkChars && _count > 0)
        {
            SpillRun();
        }
        EnsureArena(_used + needed);
        account.CopyTo(_arena.AsSpan(_used));
        prompt.CopyTo(_arena.AsSpan(_used + account.Length));
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }
        _entries[_count++] = new Entry(utcTicks, _sequence++, _used, account.Length, prompt.Length);
        _used += needed;
    }

    /// <summary>
    /// Sends every exchange to <paramref name="sink"/> in time order (ties in input order), then empties the
    /// spool. O(n log r) for n exchanges in r runs, plus the sorting of each chunk.
    /// </summary>
    public void Drain(IExchangeSink sink)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SortChunk();
        if (_runFiles.Count == 0)
        {
            for (int i = 0; i < _count; i++)
            {
                ref readonly Entry e = ref _entries[i];
                sink.Observe(_arena.AsSpan(e.Start, e.AccountLength), e.Ticks, _arena.AsSpan(e.Start + e.AccountLength, e.PromptLength));
            }
            _count = 0;
            _used = 0;
            return;
        }
        var readers = new List<RunReader>(_runFiles.Count);
        try
        {
            foreach (string file in _runFiles)
            {
                readers.Add(new RunReader(file));
            }
            var heap = new PriorityQueue<int, (long Ticks, long Sequence)>(readers.Count + 1);
            for (int r = 0; r < readers.Count; r++)
            {
                if (readers[r].MoveNext())
                {
                    heap.Enqueue(r, (readers[r].Ticks, readers[r].Sequence));
                }
            }
            int memory = 0;
            int memoryIndex = readers.Count; // the last chunk, sorted in memory, is one more run
            if (_count > 0)
            {
                heap.Enqueue(memoryIndex, (_entries[0].Ticks, _entries[0].Sequence));
            }
            while (heap.TryDequeue(out int r, out _))
            {
                if (r == memoryIndex)
                {
                    ref readonly Entry e = ref _entries[memory];
                    sink.Observe(_arena.AsSpan(e.Start, e.AccountLength), e.Ticks, _arena.AsSpan(e.Start + e.AccountLength, e.PromptLength));
                    if (++memory < _count)
                    {
                        heap.Enqueue(memoryIndex, (_entries[memory].Ticks, _entries[memory].Sequence));
                    }
                    continue;
                }
                RunReader reader = readers[r];
                sink.Observe(reader.Account, reader.Ticks, reader.Prompt);
                if (reader.MoveNext())
                {
                    heap.Enqueue(r, (reader.Ticks, reader.Sequence));
                }
            }
        }
        finally
        {
            foreach (RunReader reader in readers)
            {
                reader.Dispose();
            }
            DeleteRuns();
        }
        _count = 0;
        _used = 0;
    }

    /// <summary>Deletes the temporary files and returns the arena.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        DeleteRuns();
        ArrayPool<char>.Shared.Return(_arena);
        _arena = [];
    }

    private void EnsureArena(int capacity)
    {
        if (capacity <= _arena.Length)
        {
            return;
        }
        // Grow geometrically up to the chunk size (a single record longer than the chunk gets its own size).
        int size = Math.Max(capacity, (int)Math.Min((long)_arena.Length * 2, Math.Max(_chunkChars, capacity)));
        char[] larger = ArrayPool<char>.Shared.Rent(size);
        _arena.AsSpan(0, _used).CopyTo(larger);
        ArrayPool<char>.Shared.Return(_arena);
        _arena = larger;
    }

    private void SortChunk() => _entries.AsSpan(0, _count).Sort(static (a, b) =>
        a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Sequence.CompareTo(b.Sequence));

    private void SpillRun()
    {
        SortChunk();
        string path = Path.Combine(_tempDirectory, "distilldetect-replay-" + Guid.NewGuid().ToString("N") + ".run");
        _runFiles.Add(path);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            for (int i = 0; i < _count; i++)
            {
                ref readonly Entry e = ref _entries[i];
                BinaryPrimitives.WriteInt64LittleEndian(header, e.Ticks);
                BinaryPrimitives.WriteInt64LittleEndian(header[8..], e.Sequence);
                BinaryPrimitives.WriteInt32LittleEndian(header[16..], e.AccountLength);
                BinaryPrimitives.WriteInt32LittleEndian(header[20..], e.PromptLength);
                file.Write(header);
                file.Write(MemoryMarshal.AsBytes(_arena.AsSpan(e.Start, e.AccountLength + e.PromptLength)));
                SpilledBytes += HeaderBytes + 2L * (e.AccountLength + e.PromptLength);
            }
        }
        _count = 0;
        _used = 0;
    }

    private void DeleteRuns()
    {
        foreach (string file in _runFiles)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A leftover temporary file is harmless; the scan result does not depend on it.
            }
        }
        _runFiles.Clear();
    }

    private readonly record struct Entry(long Ticks, long Sequence, int Start, int AccountLength, int PromptLength);

    /// <summary>Reads one sorted run file record by record.</summary>
    private sealed class RunReader : IDisposable
    {
        private readonly FileStream _file;
        private char[] _chars = ArrayPool<char>.Shared.Rent(4096);
        private int _accountLength;
        private int _promptLength;

        public RunReader(string path)
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, RunBufferBytes, FileOptions.SequentialScan);
        }

        public long Ticks { get; private set; }

        public long Sequence { get; private set; }

        public ReadOnlySpan<char> Account => _chars.AsSpan(0, _accountLength);

        public ReadOnlySpan<char> Prompt => _chars.AsSpan(_accountLength, _promptLength);

        public bool MoveNext()
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            int read = _file.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
            if (read == 0)
            {
                return false;
            }
            if (read < HeaderBytes)
            {
                throw new InvalidDataException("a temporary replay run file is truncated.");
            }
            Ticks = BinaryPrimitives.ReadInt64LittleEndian(header);
            Sequence = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
            _accountLength = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
            _promptLength = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
            int chars = _accountLength + _promptLength;
            if (_chars.Length < chars)
            {
                ArrayPool<char>.Shared.Return(_chars);
                _chars = ArrayPool<char>.Shared.Rent(chars);
            }
            _file.ReadExactly(MemoryMarshal.AsBytes(_chars.AsSpan(0, chars)));
            return true;
        }

        public void Dispose()
        {
            _file.Dispose();
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }
    }
}
