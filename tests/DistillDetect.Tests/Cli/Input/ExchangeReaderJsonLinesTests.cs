using System.IO.Compression;
using System.Text;
using System.Text.Json;
using DistillDetect.Cli;
using DistillDetect.Cli.Input;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static DistillDetect.Tests.Cli.Input.ExchangeReaderTestData;

namespace DistillDetect.Tests.Cli.Input;

public sealed class ExchangeReaderJsonLinesTests
{
    [Fact]
    public void Read_WellFormedLines_GivesFieldsLineNumbersAndSkipsOtherFields()
    {
        string text = """
            {"account": "acct-1", "timestamp": 1700000000, "prompt": "hello \"world\"\n\u00e9t\u00e9 中文 🙂", "id": 17}
            {"meta": {"nested": [1, {"deep": "x"}], "s": "}"}, "account": "acct-2", "timestamp": "2023-11-16T18:17:03Z", "prompt": "p2", "id": "abc"}
            {"\u0061ccount": "acct-3", "timestamp": "1700000001", "prompt": "", "id": 1.50, "extra": null}
            """;
        var (records, errors, reader) = Read(text);
        Assert.Equal("", errors);
        Assert.Equal(3, records.Count);
        Assert.Equal(new ExchangeRecord(1, "17", "acct-1", T(1700000000), true, "hello \"world\"\nété 中文 🙂"), records[0]);
        Assert.Equal(new ExchangeRecord(2, "abc", "acct-2", new DateTimeOffset(2023, 11, 16, 18, 17, 3, TimeSpan.Zero), true, "p2"), records[1]);
        Assert.Equal(new ExchangeRecord(3, "1.50", "acct-3", T(1700000001), true, ""), records[2]);
        Assert.Equal(InputFormat.JsonLines, reader.Format);
        Assert.Equal(3, reader.LinesRead);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), reader.BytesRead);
    }

    [Fact]
    public void Read_MalformedLines_ReportedWithLineNumberAndReasonAndRestProcessed()
    {
        var lines = new List<byte[]>
        {
            "{\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"ok1\"}"u8.ToArray(),           // 1 ok
            "{\"account\": \"a\", \"prompt\": \"no time\"}"u8.ToArray(),                          // 2 missing timestamp
            "{\"account\": \"a\", \"timestamp\": 1, \"prompt\": 42}"u8.ToArray(),                 // 3 wrong type
            "{\"account\": \"a\", \"timestamp\": \"yesterday\", \"prompt\": \"x\"}"u8.ToArray(), // 4 bad timestamp
            "{\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"trunc"u8.ToArray(),             // 5 invalid JSON
            Bytes("{\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"bad \u00FF(\"}"), // 6 invalid UTF-8
            "[1, 2, 3]"u8.ToArray(),                                                            // 7 not an object
            "{\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"x\"} trailing"u8.ToArray(),     // 8 text after object
            "{\"account\": null, \"timestamp\": 1, \"prompt\": \"x\"}"u8.ToArray(),               // 9 null = missing
            "{\"account\": \"a\", \"timestamp\": true, \"prompt\": \"x\"}"u8.ToArray(),           // 10 wrong type
            "{\"account\": \"a\", \"timestamp\": 2, \"prompt\": \"ok2\"}"u8.ToArray(),            // 11 ok
        };
        byte[] bytes = [.. lines.SelectMany(l => l.Concat("\n"u8.ToArray()))];
        var (records, errors, reader) = Read(bytes);
        Assert.Equal(["ok1", "ok2"], records.Select(r => r.Prompt));
        Assert.Equal([1L, 11L], records.Select(r => r.Line));
        Assert.Equal(9, reader.MalformedLines);
        Assert.Contains("test: line 2: missing field \"timestamp\"; skipped.", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 3: field \"prompt\" has the wrong type: expected a string, found a number", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 4: field \"timestamp\" is not a valid timestamp: 'yesterday'", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 5: invalid JSON", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 6: invalid UTF-8: bad byte at column", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 7: not a JSON object", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 8: invalid JSON", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 9: missing field \"account\"", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 10: field \"timestamp\" has the wrong type: expected a string or number, found a boolean", errors, StringComparison.Ordinal);
        Assert.Contains("test: 9 malformed lines skipped (2 records read).", errors, StringComparison.Ordinal);
    }

    // Latin-1 bytes for U+00FF give 0xFF, which is never valid in UTF-8.
    private static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    [Fact]
    public void Read_MoreThanTwentyMalformed_DetailsFirstTwentyThenCounts()
    {
        var sb = new StringBuilder();
        for (int i = 1; i <= 50; i++)
        {
            sb.Append(i % 2 == 0 ? "{\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"ok\"}\n" : "not json\n");
        }
        var (records, errors, reader) = Read(sb.ToString(), format: InputFormat.JsonLines);
        Assert.Equal(25, records.Count);
        Assert.Equal(25, reader.MalformedLines);
        string[] lines = errors.TrimEnd().Split('\n');
        Assert.Equal(20, lines.Count(l => l.EndsWith("skipped.", StringComparison.Ordinal) && l.Contains(": invalid JSON", StringComparison.Ordinal)));
        Assert.Contains("test: line 39: invalid JSON", errors, StringComparison.Ordinal); // 20th malformed = line 39
        Assert.DoesNotContain("line 41: invalid", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 41: more than 20 malformed lines; further ones are only counted.", errors, StringComparison.Ordinal);
        Assert.Contains("test: 25 malformed lines skipped (25 records read).", errors, StringComparison.Ordinal);
        Assert.Equal(22, lines.Length);
    }

    [Fact]
    public void Read_UnsortedInput_KeptInInputOrder()
    {
        long[] times = [1700000500, 1700000100, 1700000900, 1700000000];
        string text = string.Join("\n", times.Select(t => $"{{\"account\": \"a\", \"timestamp\": {t}, \"prompt\": \"p\"}}"));
        var (records, _, _) = Read(text);
        Assert.Equal(times.Select(T), records.Select(r => r.Timestamp));
    }

    [Fact]
    public void Read_CrlfAndBom_Handled()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "{\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"x\"}\r\n\r\n{\"account\": \"b\", \"timestamp\": 2, \"prompt\": \"y\"}\r\n"u8];
        var (records, errors, _) = Read(bytes);
        Assert.Equal("", errors);
        Assert.Equal(["a", "b"], records.Select(r => r.Account));
        Assert.Equal([1L, 3L], records.Select(r => r.Line));
        Assert.Equal(["x", "y"], records.Select(r => r.Prompt));
    }

    [Fact]
    public void Read_NoFormatAndFirstByteNotBrace_IsSniffedAsCsv()
    {
        var e = Assert.Throws<InvalidDataException>(() => Read("not json\n"));
        Assert.Contains("CSV header has no \"account\" column", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \r\n")]
    public void Read_EmptyInput_ZeroRecordsNoError(string text)
    {
        var (records, errors, reader) = Read(text);
        Assert.Empty(records);
        Assert.Equal("", errors);
        Assert.Equal(0, reader.MalformedLines);
    }

    [Fact]
    public void Read_LastLineWithoutNewline_IsRead()
    {
        var (records, _, _) = Read("{\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"x\"}\n{\"account\": \"b\", \"timestamp\": 2, \"prompt\": \"y\"}");
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void Read_FieldsNotAskedFor_AreNotValidatedOrDecoded()
    {
        // timing needs account + timestamp only: a numeric prompt is then not an error, and Prompt is null.
        var (records, errors, _) = Read("{\"account\": \"a\", \"timestamp\": 1, \"prompt\": 42, \"id\": [1]}",
            ExchangeFields.Account | ExchangeFields.Timestamp, ExchangeFields.None);
        Assert.Equal("", errors);
        Assert.Equal(new ExchangeRecord(1, null, "a", T(1), true, null), Assert.Single(records));
    }

    [Fact]
    public void Read_OptionalFieldMissing_IsNotMalformed()
    {
        var (records, errors, _) = Read("{\"prompt\": \"only a prompt\"}", ExchangeFields.Prompt, ExchangeFields.Id | ExchangeFields.Account);
        Assert.Equal("", errors);
        var r = Assert.Single(records);
        Assert.Null(r.Id);
        Assert.Null(r.Account);
        Assert.False(r.HasTimestamp);
    }

    [Fact]
    public void Read_TenMegabytePrompt_ReadWhole()
    {
        var rng = new Random(7);
        var sb = new StringBuilder(10_500_000);
        while (sb.Length < 10_000_000)
        {
            sb.Append("step ").Append(rng.Next()).Append(" \"quoted\" \\ é 中\n\t");
        }
        string prompt = sb.ToString();
        string line = JsonSerializer.Serialize(new Dictionary<string, object> { ["account"] = "big", ["timestamp"] = 1700000000, ["prompt"] = prompt });
        string text = "{\"account\": \"small\", \"timestamp\": 1, \"prompt\": \"s\"}\n" + line + "\n{\"account\": \"after\", \"timestamp\": 2, \"prompt\": \"t\"}\n";
        var (records, errors, _) = Read(text, bufferSize: 1 << 16);
        Assert.Equal("", errors);
        Assert.Equal(3, records.Count);
        Assert.Equal(prompt, records[1].Prompt);
        Assert.Equal(["small", "big", "after"], records.Select(r => r.Account));
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public void Open_Stdin_SniffsJsonLines()
    {
        byte[] input = "\n  {\"account\": \"a\", \"timestamp\": 1, \"prompt\": \"x\"}\n"u8.ToArray();
        using CommandContext context = CliRunner.Context(input, out _, out StringWriter stderr);
        using ExchangeReader reader = ExchangeReader.Open("-", context, AccountTimePrompt);
        Assert.True(reader.MoveNext());
        Assert.Equal("a", reader.Account.ToString());
        Assert.Equal(2, reader.Line);
        Assert.False(reader.MoveNext());
        Assert.Equal(InputFormat.JsonLines, reader.Format);
        Assert.Equal("stdin", reader.SourceName);
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void Open_GzipFile_DecompressedOnTheFly()
    {
        using var dir = new TempDirectory();
        string path = dir.File("traffic.jsonl.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            for (int i = 0; i < 1000; i++)
            {
                gz.Write(Encoding.UTF8.GetBytes($"{{\"account\": \"a{i % 7}\", \"timestamp\": {1700000000 + i}, \"prompt\": \"p{i}\"}}\n"));
            }
        }
        using CommandContext context = CliRunner.Context([], out _, out _);
        using ExchangeReader reader = ExchangeReader.Open(path, context, AccountTimePrompt);
        var records = reader.ReadAll().ToList();
        Assert.Equal(1000, records.Count);
        Assert.Equal("p999", records[^1].Prompt);
        Assert.Same(records[0].Account, records[7].Account); // accounts are interned
    }

    [Fact]
    public void MoveNext_SpanAccessors_MatchCurrentAndDoNotAllocatePerRecord()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 4000; i++)
        {
            sb.Append($"{{\"account\": \"acct-{i % 10}\", \"timestamp\": {1700000000 + i}, \"prompt\": \"prompt number {i} with text é\", \"other\": [1, 2]}}\n");
        }
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        long chars = 0;
        // A whole first pass warms up: buffers sized, and the JIT's tiering of MoveNext (whose
        // background recompilation can allocate on this thread) has settled before we measure.
        using (var warmUp = new ExchangeReader(new MemoryStream(bytes), AccountTimePrompt))
        {
            while (warmUp.MoveNext()) chars += warmUp.Prompt.Length;
        }
        using var reader = new ExchangeReader(new MemoryStream(bytes), AccountTimePrompt);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(reader.MoveNext());
            chars += reader.Prompt.Length;
        }
        // Rounds of 700 records while the 4,000 last; the best of them (see Allocations.Fewest).
        int read = 0;
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 700 && reader.MoveNext(); i++, read++)
            {
                chars += reader.Prompt.Length + reader.Account.Length;
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(read >= 700, $"{read} records read in the measured rounds");
        Assert.True(chars > 0);
    }

    [Property(MaxTest = 60)]
    public Property Read_AnyBufferSize_GivesSameRecordsAsOneBigBuffer(PositiveInt seed, PositiveInt bufferSeed)
    {
        var rng = new Random(seed.Get);
        var sb = new StringBuilder();
        int n = rng.Next(0, 40);
        for (int i = 0; i < n; i++)
        {
            int kind = rng.Next(10);
            string prompt = new string(' ', rng.Next(0, 300)).Replace(" ", "ab\"c\\é中🙂 ", StringComparison.Ordinal);
            sb.Append(kind switch
            {
                0 => "broken {\n",
                1 => "\r\n",
                _ => JsonSerializer.Serialize(new Dictionary<string, object> { ["account"] = "a" + rng.Next(5), ["timestamp"] = 1700000000 + rng.Next(100000), ["prompt"] = prompt }) + (rng.Next(2) == 0 ? "\n" : "\r\n"),
            });
        }
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var big = Read(bytes, format: InputFormat.JsonLines);
        var small = Read(bytes, format: InputFormat.JsonLines, bufferSize: 16 + bufferSeed.Get % 200);
        return (big.Records.SequenceEqual(small.Records) && big.Errors == small.Errors).Label($"n={n}");
    }
}
