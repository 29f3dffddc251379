using DistillDetect.Cli.Input;
using DistillDetect.Cli.Output;
using DistillDetect.Fingerprints;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// <c>distilldetect fingerprint INPUT|- [--output FILE] [--hashes N]</c>: one MinHash signature per prompt,
/// as JSON Lines <c>{"id": ..., "signature": [...]}</c>. The id is the input's <c>id</c> as a string (a
/// numeric id keeps its JSON text), else the 1-based line number as a number. Streams: one record in
/// memory at a time; malformed lines are reported on stderr by line number and skipped.
/// </summary>
internal sealed class FingerprintCommand : ICommand
{
    private static readonly ArgumentSyntax s_syntax = new(["INPUT"], 1, ["--output", "--hashes", "--format"], []);

    /// <inheritdoc/>
    public string Name => "fingerprint";

    /// <inheritdoc/>
    public string UsageLine => "fingerprint INPUT [--output FILE] [--hashes N]";

    /// <inheritdoc/>
    public string Description =>
        "Computes a MinHash signature (N values, default 128; word 3-shingles of the normalized prompt, numbers masked) " +
        "for the prompt of every input line and writes JSON Lines {\"id\", \"signature\": [...]} (id = the input's id, " +
        "else the 1-based line number). INPUT may be - (stdin); --format jsonl|csv overrides the format taken from the extension.";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(args, s_syntax);
        if (parsed.HelpRequested)
        {
            return CommandLine.PrintHelp(this, context);
        }
        int hashes = parsed.GetInt32("--hashes", 128, 1, 4096);
        InputFormat format = parsed.GetInputFormat();
        MinHasher hasher;
        try
        {
            hasher = new MinHasher(new MinHashOptions { HashCount = hashes });
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException($"--hashes {hashes} is not supported: {e.Message}");
        }

        using ExchangeReader reader = ExchangeReader.Open(parsed.Positionals[0], context, ExchangeFields.Prompt, ExchangeFields.Id, format);
        using OutputTarget target = OutputTarget.Open(parsed.GetString("--output"), context);
        using (var lines = new JsonLinesWriter(target.Stream))
        {
            var signature = new uint[hasher.HashCount];
            while (reader.MoveNext())
            {
                hasher.Compute(reader.Prompt, signature);
                var w = lines.Writer;
                w.WriteStartObject();
                if (reader.HasId)
                {
                    w.WriteString("id"u8, reader.Id);
                }
                else
                {
                    w.WriteNumber("id"u8, reader.Line);
                }
                w.WriteStartArray("signature"u8);
                foreach (uint v in signature)
                {
                    w.WriteNumberValue(v);
                }
                w.WriteEndArray();
                w.WriteEndObject();
                lines.EndRecord();
            }
            lines.Flush();
        }
        target.Commit();
        return 0;
    }
}
