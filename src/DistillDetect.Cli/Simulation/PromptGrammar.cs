using System.Text;

namespace DistillDetect.Cli.Simulation;

/// <summary>
/// A small random text grammar: named rules, each a list of alternatives, expanded with a
/// <see cref="SplitMix64"/> so the same seed yields the same text everywhere.
/// </summary>
/// <remarks>
/// Alternative syntax: <c>{rule}</c> expands a rule; <c>{a rule}</c> prefixes "a" or "an";
/// <c>{^rule}</c> capitalizes the first letter (combinable: <c>{^a rule}</c>); <c>{#3-12}</c> draws an
/// integer; <c>[x|y|z]</c> picks one; <c>[?x]</c> keeps x with probability 1/2 and <c>[~x]</c> with 1/4;
/// a backslash makes the next character literal. Rules are compiled once; expansion appends to a caller's
/// <see cref="StringBuilder"/> and allocates nothing else. Immutable after construction, so thread-safe.
/// </remarks>
internal sealed class PromptGrammar
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<Node[][]> _rules = [];

    /// <summary>Compiles the rules; throws <see cref="FormatException"/> on bad syntax or an unknown rule name.</summary>
    public PromptGrammar(IEnumerable<KeyValuePair<string, string[]>> rules)
    {
        var sources = new List<(string Name, string[] Alternatives)>();
        foreach (var (name, alternatives) in rules)
        {
            if (alternatives.Length == 0 || !_ids.TryAdd(name, sources.Count))
            {
                throw new FormatException($"Grammar rule '{name}' is empty or defined twice.");
            }
            sources.Add((name, alternatives));
        }
        foreach (var (name, alternatives) in sources)
        {
            var compiled = new Node[alternatives.Length][];
            for (int i = 0; i < alternatives.Length; i++)
            {
                int position = 0;
                compiled[i] = ParseSequence(alternatives[i], ref position, name, insideChoice: false);
            }
            _rules.Add(compiled);
        }
    }

    /// <summary>The compiled id of a rule; throws <see cref="KeyNotFoundException"/> when it is not defined.</summary>
    public int RuleId(string name) => _ids.TryGetValue(name, out int id) ? id : throw new KeyNotFoundException($"Grammar rule '{name}' is not defined.");

    /// <summary>Whether a rule of that name exists.</summary>
    public bool HasRule(string name) => _ids.ContainsKey(name);

    /// <summary>Appends one random expansion of rule <paramref name="ruleId"/> to <paramref name="output"/>.</summary>
    public void Expand(int ruleId, ref SplitMix64 rng, StringBuilder output)
    {
        Node[][] alternatives = _rules[ruleId];
        Node[] chosen = alternatives[alternatives.Length == 1 ? 0 : rng.NextInt(alternatives.Length)];
        ExpandSequence(chosen, ref rng, output);
    }

    /// <summary>Appends one expansion of rule <paramref name="ruleId"/> and tidies its whitespace (see <see cref="Tidy"/>).</summary>
    public void ExpandTidy(int ruleId, ref SplitMix64 rng, StringBuilder output)
    {
        int start = output.Length;
        Expand(ruleId, ref rng, output);
        Tidy(output, start);
    }

    /// <summary>
    /// Collapses the double spaces that omitted optional parts leave behind and removes spaces at line ends and
    /// at both ends of the text from <paramref name="start"/> on; indentation at the start of a line is kept. O(length).
    /// </summary>
    public static void Tidy(StringBuilder text, int start)
    {
        int write = start;
        bool lineStart = true;
        for (int read = start; read < text.Length; read++)
        {
            char c = text[read];
            if (c == ' ')
            {
                bool leading = write == start;
                bool doubled = write > start && text[write - 1] == ' ' && !lineStart;
                if (leading || doubled)
                {
                    continue;
                }
            }
            else if (c == '\n')
            {
                while (write > start && text[write - 1] == ' ')
                {
                    write--;
                }
                lineStart = true;
                text[write++] = c;
                continue;
            }
            else
            {
                lineStart = false;
            }
            text[write++] = c;
        }
        while (write > start && char.IsWhiteSpace(text[write - 1]))
        {
            write--;
        }
        text.Length = write;
    }

    /// <summary>Convenience: one expansion as a new string.</summary>
    public string Generate(string rule, ref SplitMix64 rng)
    {
        var sb = new StringBuilder();
        ExpandTidy(RuleId(rule), ref rng, sb);
        return sb.ToString();
    }

    private void ExpandSequence(Node[] sequence, ref SplitMix64 rng, StringBuilder output)
    {
        foreach (Node node in sequence)
        {
            switch (node.Kind)
            {
                case NodeKind.Literal:
                    output.Append(node.Text);
                    break;
                case NodeKind.Reference:
                    int start = output.Length;
                    Expand(node.Value, ref rng, output);
                    if (node.Article && output.Length > start)
                    {
                        output.Insert(start, NeedsAn(output, start) ? "an " : "a ");
                    }
                    if (node.Capitalize && output.Length > start)
                    {
                        output[start] = char.ToUpperInvariant(output[start]);
                    }
                    break;
                case NodeKind.Number:
                    output.Append(node.Value + rng.NextInt(node.Max - node.Value + 1));
                    break;
                case NodeKind.Choice:
                    ExpandSequence(node.Alternatives![rng.NextInt(node.Alternatives.Length)], ref rng, output);
                    break;
                case NodeKind.Optional:
                    if (rng.NextDouble() < node.Probability)
                    {
                        ExpandSequence(node.Alternatives![0], ref rng, output);
                    }
                    break;
            }
        }
    }

    // "an" before a vowel sound: vowels except "uni/use/usu/uti/ura" words, and initialisms read letter by letter.
    private static bool NeedsAn(StringBuilder text, int start)
    {
        char c = text[start];
        char lower = char.ToLowerInvariant(c);
        int end = start;
        while (end < text.Length && char.IsLetterOrDigit(text[end]))
        {
            end++;
        }
        bool initialism = end - start >= 2 && char.IsUpper(c) && char.IsUpper(text[start + 1]);
        if (initialism)
        {
            return "AEFHILMNORSX".Contains(c, StringComparison.Ordinal);
        }
        if (lower == 'u' && end - start >= 3)
        {
            char n1 = char.ToLowerInvariant(text[start + 1]);
            char n2 = char.ToLowerInvariant(text[start + 2]);
            if ((n1 == 'n' && n2 == 'i') || (n1 == 's' && (n2 == 'e' || n2 == 'u')) || (n1 == 't' && n2 == 'i') || (n1 == 'r' && n2 == 'l'))
            {
                return false;
            }
        }
        return lower is 'a' or 'e' or 'i' or 'o' or 'u';
    }

    private Node[] ParseSequence(string text, ref int position, string rule, bool insideChoice)
    {
        var nodes = new List<Node>();
        var literal = new StringBuilder();
        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                nodes.Add(new Node { Kind = NodeKind.Literal, Text = literal.ToString() });
                literal.Clear();
            }
        }
        while (position < text.Length)
        {
            char c = text[position];
            if (insideChoice && (c == '|' || c == ']'))
            {
                break;
            }
            position++;
            switch (c)
            {
                case '\\':
                    if (position >= text.Length)
                    {
                        throw Bad(rule, text, "a trailing backslash");
                    }
                    literal.Append(text[position++]);
                    break;
                case '{':
                    FlushLiteral();
                    int close = text.IndexOf('}', position);
                    if (close < 0)
                    {
                        throw Bad(rule, text, "an unclosed '{'");
                    }
                    nodes.Add(ParseReference(text[position..close], rule, text));
                    position = close + 1;
                    break;
                case '[':
                    FlushLiteral();
                    nodes.Add(ParseChoice(text, ref position, rule));
                    break;
                case ']':
                case '}':
                case '|':
                    throw Bad(rule, text, $"a stray '{c}'");
                default:
                    literal.Append(c);
                    break;
            }
        }
        FlushLiteral();
        return [.. nodes];
    }

    private Node ParseChoice(string text, ref int position, string rule)
    {
        double probability = 1.0;
        if (position < text.Length && (text[position] == '?' || text[position] == '~'))
        {
            probability = text[position] == '?' ? 0.5 : 0.25;
            position++;
        }
        var alternatives = new List<Node[]>();
        while (true)
        {
            alternatives.Add(ParseSequence(text, ref position, rule, insideChoice: true));
            if (position >= text.Length)
            {
                throw Bad(rule, text, "an unclosed '['");
            }
            char c = text[position++];
            if (c == ']')
            {
                break;
            }
        }
        if (probability < 1.0)
        {
            if (alternatives.Count != 1)
            {
                throw Bad(rule, text, "an optional part with '|' alternatives");
            }
            return new Node { Kind = NodeKind.Optional, Probability = probability, Alternatives = [.. alternatives] };
        }
        return new Node { Kind = NodeKind.Choice, Alternatives = [.. alternatives] };
    }

    private Node ParseReference(string inner, string rule, string text)
    {
        if (inner.StartsWith('#'))
        {
            int dash = inner.IndexOf('-', 2);
            if (dash < 0 || !int.TryParse(inner.AsSpan(1, dash - 1), System.Globalization.CultureInfo.InvariantCulture, out int min)
                || !int.TryParse(inner.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture, out int max) || max < min)
            {
                throw Bad(rule, text, $"a bad number range '{{{inner}}}'");
            }
            return new Node { Kind = NodeKind.Number, Value = min, Max = max };
        }
        bool capitalize = inner.StartsWith('^');
        if (capitalize)
        {
            inner = inner[1..];
        }
        bool article = inner.StartsWith("a ", StringComparison.Ordinal);
        if (article)
        {
            inner = inner[2..];
        }
        if (!_ids.TryGetValue(inner, out int id))
        {
            throw Bad(rule, text, $"the unknown rule '{inner}'");
        }
        return new Node { Kind = NodeKind.Reference, Value = id, Article = article, Capitalize = capitalize };
    }

    private static FormatException Bad(string rule, string text, string what) =>
        new($"Grammar rule '{rule}' has {what} in: {text}");

    private enum NodeKind : byte
    {
        Literal,
        Reference,
        Number,
        Choice,
        Optional,
    }

    private sealed class Node
    {
        public NodeKind Kind { get; init; }
        public string? Text { get; init; }
        public int Value { get; init; }
        public int Max { get; init; }
        public bool Article { get; init; }
        public bool Capitalize { get; init; }
        public double Probability { get; init; }
        public Node[][]? Alternatives { get; init; }
    }
}
