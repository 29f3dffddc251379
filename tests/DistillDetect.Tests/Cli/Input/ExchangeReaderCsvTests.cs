using System.Text;
using DistillDetect.Cli;
using DistillDetect.Cli.Input;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static DistillDetect.Tests.Cli.Input.ExchangeReaderTestData;

namespace DistillDetect.Tests.Cli.Input;

public sealed class ExchangeReaderCsvTests
{
    [Fact]
    public void Read_HeaderInAnyOrderWithExtraColumns_MapsByName()
    {
        string text = "Prompt,extra,TIMESTAMP, account ,id\nhello,zzz,1700000000,acct-1,7\nworld,,2023-11-16T18:17:03Z,acct-2,\n";
        var (records, errors, reader) = Read(text);
        Assert.Equal("", errors);
        Assert.Equal(InputFormat.Csv, reader.Format);
        Assert.Equal(new ExchangeRecord(2, "7", "acct-1", T(1700000000), true, "hello"), records[0]);
        Assert.Equal(new ExchangeRecord(3, null, "acct-2", new DateTimeOffset(2023, 11, 16, 18, 17, 3, TimeSpan.Zero), true, "world"), records[1]);
    }

    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndNewlines_UnescapedAndLinesCounted()
    {
        string text =
            "account,timestamp,prompt\n" +
            "a,1,\"one, two\"\n" +                                   // line 2
            "b,2,\"say \"\"hi\"\"\"\n" +                             // line 3
            "c,3,\"multi\nline\r\nprompt with \"\"quotes\"\"\"\n" +  // lines 4-6
            "\"d\",\"4\",\"\"\n" +                                   // line 7: empty prompt = absent -> malformed
            "e,5,plain \"inner\" quote\n";                           // line 8: quote inside unquoted field kept
        var (records, errors, _) = Read(text);
        Assert.Equal(["one, two", "say \"hi\"", "multi\nline\r\nprompt with \"quotes\"", "plain \"inner\" quote"], records.Select(r => r.Prompt));
        Assert.Equal([2L, 3L, 4L, 8L], records.Select(r => r.Line));
        Assert.Contains("test: line 7: missing field \"prompt\"", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LoneQuoteInsideUnquotedField_IsLiteralAndDoesNotSwallowNextLines()
    {
        string text = "account,timestamp,prompt\na,1,a 5\" screen\nb,2,\"x \"\"y\"\"\nz\"\nc,3,next\n";
        var (records, errors, _) = Read(text);
        Assert.Equal("", errors);
        Assert.Equal(["a 5\" screen", "x \"y\"\nz", "next"], records.Select(r => r.Prompt));
        Assert.Equal([2L, 3L, 5L], records.Select(r => r.Line));
    }

    [Fact]
    public void Read_BomAndCrlf_Handled()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "account,timestamp,prompt\r\na,1,x\r\nb,2,\"y\"\r\n"u8];
        var (records, errors, _) = Read(bytes);
        Assert.Equal("", errors);
        Assert.Equal(["x", "y"], records.Select(r => r.Prompt));
        Assert.Equal(["a", "b"], records.Select(r => r.Account));
    }

    [Fact]
    public void Read_MalformedRecords_ReportedWithStartLineAndRestProcessed()
    {
        string text =
            "account,timestamp,prompt\n" +
            "a,1,ok1\n" +                // 2 ok
            "a,1\n" +                    // 3 too few fields
            "a,1,x,extra\n" +            // 4 too many
            "a,not-a-time,x\n" +         // 5 bad timestamp
            "a,1,\"closed\"junk\n" +     // 6 text after quote
            ",1,x\n" +                   // 7 empty account
            "a,2,ok2\n" +                // 8 ok
            "a,3,\"never closed\nrest\n";  // 9 unterminated: swallows the rest
        var (records, errors, reader) = Read(text);
        Assert.Equal(["ok1", "ok2"], records.Select(r => r.Prompt));
        Assert.Equal(6, reader.MalformedLines);
        Assert.Contains("test: line 3: wrong number of fields: expected 3, found 2", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 4: wrong number of fields: expected 3, found 4", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 5: field \"timestamp\" is not a valid timestamp: 'not-a-time'", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 6: text after a closing quote", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 7: missing field \"account\"", errors, StringComparison.Ordinal);
        Assert.Contains("test: line 9: unterminated quoted field", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8Record_IsMalformed()
    {
        byte[] bytes = Encoding.Latin1.GetBytes("account,timestamp,prompt\na,1,ok\na,1,bad\u00FF\na,2,ok2\n");
        var (records, errors, _) = Read(bytes);
        Assert.Equal(["ok", "ok2"], records.Select(r => r.Prompt));
        Assert.Contains("test: line 3: invalid UTF-8", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderWithoutRequiredColumn_ThrowsNamingIt()
    {
        var e = Assert.Throws<InvalidDataException>(() => Read("account,prompt\na,x\n"));
        Assert.Contains("no \"timestamp\" column (columns: account, prompt)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("account,timestamp,prompt\n")]
    [InlineData("account,timestamp,prompt")]
    public void Read_EmptyOrHeaderOnly_ZeroRecordsNoError(string text)
    {
        var (records, errors, _) = Read(text, format: InputFormat.Csv);
        Assert.Empty(records);
        Assert.Equal("", errors);
    }

    [Fact]
    public void Read_TenMegabyteQuotedPrompt_ReadWhole()
    {
        var sb = new StringBuilder();
        while (sb.Length < 10_000_000)
        {
            sb.Append("line with, comma and \"quote\"\r\nnext é 中 ");
        }
        string prompt = sb.ToString();
        string text = "account,timestamp,prompt\nbig,1," + "\"" + prompt.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"\nafter,2,x\n";
        var (records, errors, _) = Read(text, bufferSize: 1 << 16);
        Assert.Equal("", errors);
        Assert.Equal(prompt, records[0].Prompt);
        Assert.Equal("after", records[1].Account);
        Assert.Equal(2 + prompt.Count(c => c == '\n') + 1, records[1].Line);
    }

    [Fact]
    public void Open_StdinCsv_SniffedWithoutFormat()
    {
        using CommandContext context = CliRunner.Context("account,timestamp,prompt\na,1,x\n"u8.ToArray(), out _, out _);
        using ExchangeReader reader = ExchangeReader.Open("-", context, AccountTimePrompt);
        var r = Assert.Single(reader.ReadAll().ToList());
        Assert.Equal(InputFormat.Csv, reader.Format);
        Assert.Equal("x", r.Prompt);
    }

    [Fact]
    public void Open_CsvExtension_ForcesCsvEvenIfFirstByteIsBrace()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("x.csv", "{account},timestamp,prompt\n");
        using CommandContext context = CliRunner.Context([], out _, out _);
        using ExchangeReader reader = ExchangeReader.Open(path, context, ExchangeFields.Prompt);
        Assert.False(reader.MoveNext());
        Assert.Equal(InputFormat.Csv, reader.Format);
    }

    [Property(MaxTest = 60)]
    public Property Read_AnyBufferSize_GivesSameRecordsAsOneBigBuffer(PositiveInt seed, PositiveInt bufferSeed)
    {
        var rng = new Random(seed.Get);
        var sb = new StringBuilder("id,account,timestamp,prompt\r\n");
        int n = rng.Next(0, 40);
        string[] pieces = ["a", "b,c", "\"", "\n", "\r\n", "é", "中", "🙂", " "];
        for (int i = 0; i < n; i++)
        {
            var prompt = new StringBuilder();
            int len = rng.Next(0, 60);
            for (int k = 0; k < len; k++)
            {
                prompt.Append(pieces[rng.Next(pieces.Length)]);
            }
            string quoted = "\"" + prompt.ToString().Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            sb.Append(rng.Next(8) == 0 ? "x,\"broken\"y,1,z" : $"{i},acct{rng.Next(4)},{1700000000 + rng.Next(1000)},{quoted}");
            sb.Append(rng.Next(2) == 0 ? "\n" : "\r\n");
        }
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var big = Read(bytes);
        var small = Read(bytes, bufferSize: 16 + bufferSeed.Get % 200);
        return (big.Records.SequenceEqual(small.Records) && big.Errors == small.Errors).Label($"n={n}");
    }
}
