namespace DistillDetect.Cli.Input;

/// <summary>The format of an exchange log.</summary>
internal enum InputFormat
{
    /// <summary>Decide from the file extension, else from the first non-space byte (<c>{</c> = JSON Lines).</summary>
    Auto = 0,

    /// <summary>JSON Lines: one JSON object per line.</summary>
    JsonLines = 1,

    /// <summary>CSV (RFC 4180) with a header row naming the columns.</summary>
    Csv = 2,
}
