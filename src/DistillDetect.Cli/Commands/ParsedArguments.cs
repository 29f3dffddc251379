using System.Globalization;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// A command line parsed against an <see cref="ArgumentSyntax"/>: positionals (<c>-</c> means stdin),
/// <c>--name value</c> or <c>--name=value</c> options, and <c>--flag</c>s. Every problem is a
/// <see cref="UsageException"/> whose message names the argument.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    private ParsedArguments()
    {
    }

    /// <summary>The positional arguments in order.</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>Whether <c>--help</c> or <c>-h</c> was given (the command then prints its usage).</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>Parses <paramref name="args"/>. O(n). Throws <see cref="UsageException"/> on any error.</summary>
    public static ParsedArguments Parse(IReadOnlyList<string> args, ArgumentSyntax syntax)
    {
        var parsed = new ParsedArguments();
        bool onlyPositionals = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (onlyPositionals || arg == "-" || !arg.StartsWith('-'))
            {
                parsed._positionals.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                onlyPositionals = true;
                continue;
            }
            if (arg is "-h" or "--help")
            {
                parsed.HelpRequested = true;
                continue;
            }
            string name = arg;
            string? inlineValue = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }
            if (Contains(syntax.Flags, name))
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"option '{name}' takes no value.");
                }
                if (!parsed._flags.Add(name))
                {
                    throw new UsageException($"option '{name}' is given twice.");
                }
            }
            else if (Contains(syntax.ValueOptions, name))
            {
                string value;
                if (inlineValue is not null)
                {
                    value = inlineValue;
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new UsageException($"option '{name}' needs a value.");
                }
                if (!parsed._values.TryAdd(name, value))
                {
                    throw new UsageException($"option '{name}' is given twice.");
                }
            }
            else
            {
                throw new UsageException($"unknown option '{name}'.");
            }
        }
        if (parsed.HelpRequested)
        {
            return parsed;
        }
        if (parsed._positionals.Count < syntax.RequiredPositionals)
        {
            throw new UsageException($"missing {syntax.Positionals[parsed._positionals.Count]}.");
        }
        if (parsed._positionals.Count > syntax.Positionals.Count)
        {
            throw new UsageException($"unexpected argument '{parsed._positionals[syntax.Positionals.Count]}'.");
        }
        return parsed;
    }

    /// <summary>Whether the flag <paramref name="name"/> (with dashes) was given.</summary>
    public bool HasFlag(string name) => _flags.Contains(name);

    /// <summary>The value of option <paramref name="name"/>, or null when absent.</summary>
    public string? GetString(string name) => _values.TryGetValue(name, out string? v) ? v : null;

    /// <summary>The <c>--format</c> option as an <see cref="Input.InputFormat"/> (<see cref="Input.InputFormat.Auto"/> when absent; see <see cref="Input.InputSource.ParseFormat"/>).</summary>
    public Input.InputFormat GetInputFormat() => Input.InputSource.ParseFormat(GetString("--format"));

    /// <summary>The positional at <paramref name="index"/>, or null when not given.</summary>
    public string? GetPositional(int index) => index < _positionals.Count ? _positionals[index] : null;

    /// <summary>
    /// The integer value of option <paramref name="name"/> within [<paramref name="min"/>, <paramref name="max"/>],
    /// or <paramref name="defaultValue"/> when absent. Throws <see cref="UsageException"/> otherwise.
    /// </summary>
    public long GetInt64(string name, long defaultValue, long min, long max)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            throw new UsageException($"option '{name}' must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got '{text}'.");
        }
        return value;
    }

    /// <summary>Like <see cref="GetInt64"/> for an <see cref="int"/> range.</summary>
    public int GetInt32(string name, int defaultValue, int min, int max) => (int)GetInt64(name, defaultValue, min, max);

    /// <summary>
    /// The finite number value of option <paramref name="name"/> within [<paramref name="min"/>, <paramref name="max"/>]
    /// (invariant culture, '.' decimal point), or <paramref name="defaultValue"/> when absent.
    /// Throws <see cref="UsageException"/> otherwise.
    /// </summary>
    public double GetDouble(string name, double defaultValue, double min, double max)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value) || value < min || value > max)
        {
            throw new UsageException($"option '{name}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got '{text}'.");
        }
        return value;
    }

    /// <summary>The value of option <paramref name="name"/> if it is one of <paramref name="allowed"/>, else a usage error.</summary>
    public string? GetChoice(string name, params ReadOnlySpan<string> allowed)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return null;
        }
        foreach (string a in allowed)
        {
            if (string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
            {
                return a;
            }
        }
        throw new UsageException($"option '{name}' must be one of {string.Join(", ", allowed.ToArray())}; got '{text}'.");
    }

    private static bool Contains(IReadOnlyList<string> list, string name)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
