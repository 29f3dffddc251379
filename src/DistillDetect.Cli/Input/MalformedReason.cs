namespace DistillDetect.Cli.Input;

/// <summary>Why <see cref="ExchangeReader"/> skipped a line.</summary>
internal enum MalformedReason
{
    /// <summary>Not malformed.</summary>
    None = 0,

    /// <summary>The line is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The line is not valid JSON (or has text after the object).</summary>
    InvalidJson,

    /// <summary>The line is valid JSON but not an object.</summary>
    NotAnObject,

    /// <summary>A field the command needs is absent (or null, or an empty CSV cell).</summary>
    MissingField,

    /// <summary>A field has the wrong JSON type (e.g. a number where a string is needed).</summary>
    WrongType,

    /// <summary>The timestamp is neither ISO-8601 nor a Unix time in range.</summary>
    BadTimestamp,

    /// <summary>A JSON string holds an escaped lone surrogate that cannot become text.</summary>
    InvalidString,

    /// <summary>A CSV record has a different number of fields than the header.</summary>
    FieldCount,

    /// <summary>A CSV quoted field is never closed (the rest of the input is one broken record).</summary>
    UnterminatedQuote,

    /// <summary>A CSV quoted field is followed by something other than a comma or the end of the record.</summary>
    TextAfterQuote,
}
