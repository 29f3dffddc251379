using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace DistillDetect.Accounts;

/// <summary>
/// What every <see cref="AccountProfile"/> with the same options shares: the options, the derived hash seeds and
/// where each part lies in the profile's one 64-bit word array. Kept out of the profile so that a profile holds
/// no per-instance copy of its parameters (about 90 bytes per account). Immutable, thread-safe.
/// </summary>
/// <remarks>
/// Word layout (64-bit words; defaults in brackets): the template, usage and synchronization bins as 32-bit
/// values [32 + 64 + 32 = 64 words], the usage count-min counters as 16-bit values [2 x 32 = 16 words], the
/// synchronization window numbers as 16-bit values [32 = 8 words], the top template ids and their counts
/// [6 + 6 words], the HyperLogLog registers as bytes [64 = 8 words]: 108 words, 864 bytes.
/// </remarks>
internal sealed class AccountProfileLayout
{
    // Layouts by options (record value equality), so equal options built separately still share one; bounded
    // so that a caller creating options with ever new seeds cannot grow it without limit.
    private static readonly ConcurrentDictionary<AccountProfileOptions, AccountProfileLayout> s_cache = new();
    private const int MaxCached = 64;

    private AccountProfileLayout(AccountProfileOptions options)
    {
        Options = options;
        TemplateSeed = Mix(0x7465_6D70_6C61_7465UL, (ulong)options.Seed);
        SyncSeed = Mix(0x7379_6E63_6872_6F6EUL, (ulong)options.Seed);
        UsageSeed = Mix(0x7573_6167_6500_0000UL, (ulong)options.Seed);
        WindowTicks = options.SynchronizationWindow.Ticks;
        TemplateCount = options.TemplateHashCount;
        UsageCount = options.UsageHashCount;
        SyncCount = options.SynchronizationHashCount;
        BinCount = TemplateCount + UsageCount + SyncCount;
        CounterWidth = options.UsageCounterWidth;
        TopCount = options.TopTemplateCount;
        Precision = options.DistinctTemplatePrecision;
        CounterWord = (BinCount + 1) / 2;
        SyncWindowWord = CounterWord + (2 * CounterWidth + 3) / 4;
        TopWord = SyncWindowWord + (SyncCount + 3) / 4;
        RegisterWord = TopWord + 2 * TopCount;
        Words = RegisterWord + ((1 << Precision) + 7) / 8;
    }

    public AccountProfileOptions Options { get; }

    public ulong TemplateSeed { get; }

    public ulong SyncSeed { get; }

    public ulong UsageSeed { get; }

    public long WindowTicks { get; }

    public int TemplateCount { get; }

    public int UsageCount { get; }

    public int SyncCount { get; }

    /// <summary>32-bit bins of the three sketches together.</summary>
    public int BinCount { get; }

    /// <summary>Counters per row of the two-row count-min sketch.</summary>
    public int CounterWidth { get; }

    public int TopCount { get; }

    public int Precision { get; }

    /// <summary>First word of the 16-bit count-min counters.</summary>
    public int CounterWord { get; }

    /// <summary>First word of the 16-bit synchronization window numbers.</summary>
    public int SyncWindowWord { get; }

    /// <summary>First word of the top template ids (then their counts).</summary>
    public int TopWord { get; }

    /// <summary>First word of the HyperLogLog registers.</summary>
    public int RegisterWord { get; }

    /// <summary>Length of a profile's word array.</summary>
    public int Words { get; }

    /// <summary>The validated layout for <paramref name="options"/> (null for the defaults).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public static AccountProfileLayout For(AccountProfileOptions? options)
    {
        options ??= AccountProfileOptions.Default;
        if (s_cache.TryGetValue(options, out AccountProfileLayout? layout)) return layout;
        options.Validate();
        layout = new AccountProfileLayout(options);
        return s_cache.Count < MaxCached ? s_cache.GetOrAdd(options, layout) : layout;
    }

    /// <summary>The usage-weighted sketch's hash of the <paramref name="occurrence"/>-th exchange on the template whose hash is <paramref name="templateHash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong UsageHash(ulong templateHash, int occurrence) => Mix(templateHash + (ulong)occurrence * 0x9E3779B97F4A7C15UL, UsageSeed);

    /// <summary>Mixes a 64-bit element with a seed (the xxHash64/murmur3 avalanche finalizer, seeded): the profile's element hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong value, ulong seed)
    {
        ulong h = (value ^ seed) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 33;
        h *= 0xC2B2AE3D27D4EB4FUL;
        h ^= h >> 29;
        h *= 0x165667B19E3779F9UL;
        h ^= h >> 32;
        return h;
    }
}
