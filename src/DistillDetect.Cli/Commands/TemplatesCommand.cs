using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DistillDetect.Cli.Input;
using DistillDetect.Cli.Output;
using DistillDetect.Fingerprints;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// <c>distilldetect templates INPUT|- [--threshold J] [--output FILE] [--assignments FILE]</c>: groups prompts
/// into templates with <see cref="TemplateIndex"/> and writes
/// <c>{"templates": [{"id", "count", "accounts", "example", "merged"}]}</c>, largest count first.
/// </summary>
/// <remarks>
/// <c>id</c> is the template id as a decimal string; <c>accounts</c> is the number of distinct <c>account</c>
/// values among the template's prompts (0 when the input has no account field); <c>example</c> is the founding
/// prompt truncated to 200 characters; <c>merged</c> lists ids of groups folded into this one (a reworded copy
/// of its wrapper found later), whose earlier prompts the assignments file shows under those ids.
/// <c>--assignments</c> writes one JSON line <c>{"line": N, "template": "id"}</c> per well-formed input line
/// (malformed lines are reported on stderr and have no assignment), streamed as the input is read.
/// Memory: the index's bounds plus one account set per template.
/// </remarks>
internal sealed class TemplatesCommand : ICommand
{
    private static readonly ArgumentSyntax s_syntax = new(["INPUT"], 1, ["--output", "--threshold", "--assignments", "--format"], []);

    /// <inheritdoc/>
    public string Name => "templates";

    /// <inheritdoc/>
    public string UsageLine => "templates INPUT [--threshold J] [--output FILE] [--assignments FILE]";

    /// <inheritdoc/>
    public string Description =>
        "Groups prompts into wrapper templates (shared sentences found whatever the payload, plus whole-prompt near " +
        "duplicates at Jaccard >= J, default 0.5) and writes {\"templates\": [{\"id\", \"count\", \"accounts\", \"example\", " +
        "\"merged\"}]} by count; --assignments writes {\"line\": N, \"template\": \"id\"} per input line. INPUT may be - (stdin); --format jsonl|csv overrides the format taken from the extension.";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(args, s_syntax);
        if (parsed.HelpRequested)
        {
            return CommandLine.PrintHelp(this, context);
        }
        double threshold = parsed.GetDouble("--threshold", 0.5, double.Epsilon, 1.0);
        InputFormat format = parsed.GetInputFormat();
        string? assignmentsPath = parsed.GetString("--assignments");
        string? outputPath = parsed.GetString("--output");
        if (assignmentsPath is "-" && outputPath is null or "-")
        {
            throw new UsageException("--assignments and the templates cannot both go to stdout; give --output FILE or an assignments file.");
        }

        var index = new TemplateIndex(new TemplateIndexOptions { NearDuplicateThreshold = threshold, MaxTemplates = 1 << 20 });
        var accounts = new Dictionary<long, AccountSet>();

        using (ExchangeReader reader = ExchangeReader.Open(parsed.Positionals[0], context, ExchangeFields.Prompt, ExchangeFields.Account, format))
        using (OutputTarget? assignments = assignmentsPath is null ? null : OutputTarget.Open(assignmentsPath, context))
        {
            JsonLinesWriter? lines = assignments is null ? null : new JsonLinesWriter(assignments.Stream);
            Span<byte> idText = stackalloc byte[24];
            while (reader.MoveNext())
            {
                long id = index.Assign(reader.Prompt);
                if (reader.HasAccount)
                {
                    if (!accounts.TryGetValue(id, out AccountSet? set))
                    {
                        accounts[id] = set = new AccountSet();
                    }
                    set.Add(reader.GetAccountString());
                }
                if (lines is not null)
                {
                    Utf8JsonWriter w = lines.Writer;
                    w.WriteStartObject();
                    w.WriteNumber("line"u8, reader.Line);
                    id.TryFormat(idText, out int written, provider: CultureInfo.InvariantCulture);
                    w.WriteString("template"u8, idText[..written]);
                    w.WriteEndObject();
                    lines.EndRecord();
                }
            }
            if (lines is not null)
            {
                lines.Flush();
                lines.Dispose();
                assignments!.Commit();
            }
        }

        WriteTemplates(index, accounts, outputPath, context);
        return 0;
    }

    private static void WriteTemplates(TemplateIndex index, Dictionary<long, AccountSet> accounts, string? outputPath, CommandContext context)
    {
        // Fold groups that the index merged (reworded wrappers) into their root group.
        IReadOnlyList<TemplateInfo> all = index.GetTemplates();
        var roots = new Dictionary<long, Group>();
        foreach (TemplateInfo t in all)
        {
            long root = index.Resolve(t.Id);
            if (!roots.TryGetValue(root, out Group? g))
            {
                roots[root] = g = new Group(root);
            }
            g.Count += t.Count;
            if (t.Id == root || g.Example is null)
            {
                g.Example = t.Id == root ? t.Example : g.Example ?? t.Example;
            }
            if (t.Id != root)
            {
                g.Merged.Add(t.Id);
            }
            if (accounts.TryGetValue(t.Id, out AccountSet? set))
            {
                g.Accounts.UnionWith(set);
            }
        }
        var ordered = new List<Group>(roots.Values);
        ordered.Sort(static (a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : a.Id.CompareTo(b.Id));

        using OutputTarget target = OutputTarget.Open(outputPath, context);
        using (var w = new Utf8JsonWriter(target.Stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("templates"u8);
            foreach (Group g in ordered)
            {
                w.WriteStartObject();
                w.WriteString("id"u8, g.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteNumber("count"u8, g.Count);
                w.WriteNumber("accounts"u8, g.Accounts.Count);
                w.WriteString("example"u8, g.Example ?? "");
                if (g.Merged.Count > 0)
                {
                    w.WriteStartArray("merged"u8);
                    foreach (long m in g.Merged)
                    {
                        w.WriteStringValue(m.ToString(CultureInfo.InvariantCulture));
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        target.Stream.WriteByte((byte)'\n');
        target.Commit();
    }

    private sealed class Group(long id)
    {
        public long Id { get; } = id;
        public long Count { get; set; }
        public string? Example { get; set; }
        public List<long> Merged { get; } = [];
        public HashSet<string> Accounts { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Distinct accounts of one template; the set is allocated only once a second account appears.</summary>
    private sealed class AccountSet : IEnumerable<string>
    {
        private string? _first;
        private HashSet<string>? _more;

        public void Add(string account)
        {
            if (_first is null)
            {
                _first = account;
            }
            else if (!string.Equals(_first, account, StringComparison.Ordinal))
            {
                (_more ??= new HashSet<string>(StringComparer.Ordinal)).Add(account);
            }
        }

        public IEnumerator<string> GetEnumerator()
        {
            if (_first is not null)
            {
                yield return _first;
            }
            if (_more is not null)
            {
                foreach (string a in _more)
                {
                    yield return a;
                }
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
