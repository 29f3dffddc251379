using System.Globalization;
using System.Text.Json;
using DistillDetect.Cli.Input;
using DistillDetect.Cli.Output;
using DistillDetect.RatePatterns;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// <c>distilldetect timing INPUT|- [--output FILE] [--format jsonl|csv]</c>: exact timing statistics per
/// account (<see cref="TimingSummary.FromTimestamps(ReadOnlySpan{long})"/>), one JSON line per account,
/// sorted by account (ordinal).
/// </summary>
/// <remarks>
/// <para>Input need not be sorted, so every account's timestamps are collected before any figure is
/// computed: memory is 8 bytes per exchange (a growable <see cref="long"/> array per account, up to twice
/// that right after a doubling) plus about 150 bytes per account and its name (UTF-16). At the simulation's
/// scale 1 (317 M exchanges) that is 2.5 to 5 GB: shard the input by account when it does not fit. The
/// streaming <see cref="AccountTiming"/> state (1,072 B per account, any input length) is what <c>scan</c>
/// uses; this command gives the exact figures instead (every gap, not the most recent 32, for KS and period).</para>
/// <para>Time: one pass over the input, then O(n log n) per account for the sort, the summary (on every core,
/// blocks of accounts in parallel) and the output.
/// Undefined figures (NaN, e.g. a coefficient of variation with fewer than 3 exchanges) are written as
/// <c>null</c>. The command keeps no state between runs.</para>
/// </remarks>
internal sealed class TimingCommand : ICommand
{
    // Accounts summarized in parallel before their lines are written: bounds the summaries held at once.
    private const int SummaryBlock = 1024;

    private static readonly ArgumentSyntax s_syntax = new(["INPUT"], 1, ["--output", "--format"], []);

    /// <inheritdoc/>
    public string Name => "timing";

    /// <inheritdoc/>
    public string UsageLine => "timing INPUT [--output FILE] [--format jsonl|csv]";

    /// <inheritdoc/>
    public string Description =>
        "Reads exchanges (JSON Lines or CSV with \"account\" and \"timestamp\"; INPUT - is stdin; any order) and " +
        "writes one JSON line per account, sorted by account: account, count, first, last (ISO-8601 UTC), " +
        "mean_gap_s, gap_sd_s, min_gap_s, cv, burstiness, burstiness_corrected, memory, gap_entropy_bits, regular_gap_share, " +
        "conditional_entropy_bits, hour_entropy_bits, hour_of_week_entropy_bits, active_days, hour_bins, " +
        "ks_exponential_d, ks_exponential_p, ks_lilliefors_p, dispersion_index, dispersion_p, period_s, " +
        "period_strength (null where undefined, e.g. spread figures with fewer than 3 exchanges). Gaps are the " +
        "differences of the account's sorted timestamps; every gap is used. Memory: 8 bytes per exchange plus " +
        "about 150 bytes per account. --output writes to FILE instead of stdout; --format overrides the format " +
        "guessed from the extension or the first byte.";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(args, s_syntax);
        if (parsed.HelpRequested)
        {
            return CommandLine.PrintHelp(this, context);
        }
        string input = parsed.Positionals[0];
        InputFormat format = parsed.GetInputFormat();
        string? output = parsed.GetString("--output");
        long start = context.TimeProvider.GetTimestamp();

        var collector = new AccountTimestamps();
        using (ExchangeReader reader = ExchangeReader.Open(input, context, ExchangeFields.Account | ExchangeFields.Timestamp, format: format))
        {
            while (reader.MoveNext())
            {
                collector.Add(reader.Account, reader.Timestamp.UtcTicks);
            }
        }

        using OutputTarget target = OutputTarget.Open(output, context);
        using (var lines = new JsonLinesWriter(target.Stream))
        {
            // Summaries are independent, so each block of accounts is summarized on every core and then written
            // in order; the output is identical to a sequential run (no shared state, deterministic figures).
            int[] order = collector.SortedByName();
            var summaries = new TimingSummary[Math.Min(SummaryBlock, order.Length)];
            for (int from = 0; from < order.Length; from += SummaryBlock)
            {
                int count = Math.Min(SummaryBlock, order.Length - from);
                Parallel.For(0, count, j => summaries[j] = collector.Summarize(order[from + j]));
                for (int j = 0; j < count; j++)
                {
                    WriteSummary(lines.Writer, collector.Name(order[from + j]), summaries[j]);
                    lines.EndRecord();
                }
            }
        }
        target.Commit();

        if (context.ShowProgress)
        {
            TimeSpan elapsed = context.TimeProvider.GetElapsedTime(start);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"timing: {collector.Exchanges:N0} exchanges of {collector.Count:N0} accounts summarized to {target.DisplayName} in {elapsed.TotalSeconds:0.0} s."));
        }
        return 0;
    }

    /// <summary>Writes one account's figures as a JSON object (NaN and infinities as <c>null</c>).</summary>
    internal static void WriteSummary(Utf8JsonWriter w, string account, in TimingSummary s)
    {
        w.WriteStartObject();
        w.WriteString("account"u8, account);
        w.WriteNumber("count"u8, s.Count);
        WriteTime(w, "first"u8, s.First);
        WriteTime(w, "last"u8, s.Last);
        WriteNumber(w, "mean_gap_s"u8, s.MeanGapSeconds);
        WriteNumber(w, "gap_sd_s"u8, s.GapStandardDeviationSeconds);
        WriteNumber(w, "min_gap_s"u8, s.MinGapSeconds);
        WriteNumber(w, "cv"u8, s.CoefficientOfVariation);
        WriteNumber(w, "burstiness"u8, s.Burstiness);
        WriteNumber(w, "burstiness_corrected"u8, s.BurstinessCorrected);
        WriteNumber(w, "memory"u8, s.Memory);
        WriteNumber(w, "gap_entropy_bits"u8, s.GapEntropyBits);
        WriteNumber(w, "regular_gap_share"u8, s.RegularGapShare);
        WriteNumber(w, "conditional_entropy_bits"u8, s.ConditionalEntropyBits);
        WriteNumber(w, "hour_entropy_bits"u8, s.HourOfDayEntropyBits);
        WriteNumber(w, "hour_of_week_entropy_bits"u8, s.HourOfWeekEntropyBits);
        w.WriteNumber("active_days"u8, s.ActiveDays);
        w.WriteNumber("hour_bins"u8, s.HourBins);
        WriteNumber(w, "ks_exponential_d"u8, s.KsExponentialD);
        WriteNumber(w, "ks_exponential_p"u8, s.KsExponentialP);
        WriteNumber(w, "ks_lilliefors_p"u8, s.KsLillieforsP);
        WriteNumber(w, "dispersion_index"u8, s.DispersionIndex);
        WriteNumber(w, "dispersion_p"u8, s.DispersionPValue);
        WriteNumber(w, "period_s"u8, s.PeriodSeconds);
        WriteNumber(w, "period_strength"u8, s.PeriodStrength);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    // ISO-8601 UTC with the fraction of a second only as long as needed (exact to the input's 100 ns ticks):
    // "2026-04-22T00:00:10Z", "2023-11-16T18:17:03.97996Z".
    private static void WriteTime(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        if (value is not DateTimeOffset t)
        {
            w.WriteNull(name);
            return;
        }
        Span<byte> text = stackalloc byte[40];
        if (!t.UtcDateTime.TryFormat(text, out int written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A timestamp did not fit its 40-byte buffer."); // unreachable: at most 28 bytes
        }
        w.WriteString(name, text[..written]);
    }

    /// <summary>
    /// Every account's timestamps as UTC ticks, in input order: one growable array per account (doubling from
    /// 8 entries), found by the account's characters without allocating a string for a known account.
    /// </summary>
    private sealed class AccountTimestamps
    {
        private const int InitialCapacity = 8;
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private string[] _names = new string[64];
        private long[][] _ticks = new long[64][];
        private int[] _counts = new int[64];

        public AccountTimestamps() => _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>Accounts seen.</summary>
        public int Count { get; private set; }

        /// <summary>Timestamps collected.</summary>
        public long Exchanges { get; private set; }

        public void Add(ReadOnlySpan<char> account, long utcTicks)
        {
            if (!_lookup.TryGetValue(account, out int i))
            {
                i = NewAccount(new string(account));
            }
            long[] ticks = _ticks[i];
            int n = _counts[i];
            if (n == ticks.Length)
            {
                ticks = Grow(i);
            }
            ticks[n] = utcTicks;
            _counts[i] = n + 1;
            Exchanges++;
        }

        public string Name(int index) => _names[index];

        /// <summary>The exact summary of account <paramref name="index"/>; its timestamps are released (call once).</summary>
        public TimingSummary Summarize(int index)
        {
            TimingSummary summary = TimingSummary.FromTimestamps(_ticks[index].AsSpan(0, _counts[index]));
            _ticks[index] = [];
            return summary;
        }

        /// <summary>Account indexes ordered by name (ordinal). O(a log a).</summary>
        public int[] SortedByName()
        {
            var order = new int[Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }
            string[] keys = _names[..Count];
            Array.Sort(keys, order, StringComparer.Ordinal);
            return order;
        }

        private int NewAccount(string name)
        {
            int i = Count;
            if (i == _names.Length)
            {
                Array.Resize(ref _names, i * 2);
                Array.Resize(ref _ticks, i * 2);
                Array.Resize(ref _counts, i * 2);
            }
            _names[i] = name;
            _ticks[i] = new long[InitialCapacity];
            _index.Add(name, i);
            Count = i + 1;
            return i;
        }

        private long[] Grow(int i)
        {
            long[] old = _ticks[i];
            if (old.Length >= Array.MaxLength)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"account '{_names[i]}' has more than {Array.MaxLength:N0} exchanges, more than one array holds."));
            }
            long[] larger = new long[(int)Math.Min(Array.MaxLength, 2L * old.Length)];
            old.CopyTo(larger, 0);
            _ticks[i] = larger;
            return larger;
        }
    }
}
