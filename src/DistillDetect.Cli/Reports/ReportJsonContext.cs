using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistillDetect.Cli.Reports;

/// <summary>
/// Source-generated (AOT and trim safe) JSON metadata for the report records: snake_case names,
/// indented output, non-ASCII text written as is. Use <see cref="Relaxed"/> for writing.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ScanReport))]
[JsonSerializable(typeof(EvaluationResult))]
internal sealed partial class ReportJsonContext : JsonSerializerContext
{
    private static ReportJsonContext? s_relaxed;

    /// <summary>
    /// The same metadata with an encoder that leaves non-ASCII letters and HTML-sensitive characters
    /// unescaped (the output is a data file, never embedded in HTML), so prompt examples stay readable.
    /// </summary>
    public static ReportJsonContext Relaxed => s_relaxed ??= new ReportJsonContext(new JsonSerializerOptions(Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
