namespace DistillDetect.Cli.Input;

/// <summary>The fields of an exchange record a command asks <see cref="ExchangeReader"/> for.</summary>
[Flags]
internal enum ExchangeFields
{
    /// <summary>No field.</summary>
    None = 0,

    /// <summary><c>id</c>: a string or a number (its JSON text kept).</summary>
    Id = 1,

    /// <summary><c>account</c>: a string.</summary>
    Account = 2,

    /// <summary><c>timestamp</c>: ISO-8601 or a Unix time number (see <see cref="TimestampParser"/>).</summary>
    Timestamp = 4,

    /// <summary><c>prompt</c>: a string.</summary>
    Prompt = 8,

    /// <summary>Every field.</summary>
    All = Id | Account | Timestamp | Prompt,
}
