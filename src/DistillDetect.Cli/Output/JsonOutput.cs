using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DistillDetect.Cli.Output;

/// <summary>Writes one JSON document (a report) to an <see cref="OutputTarget"/> with source-generated metadata.</summary>
internal static class JsonOutput
{
    /// <summary>Serializes <paramref name="value"/> (followed by a newline) and commits the target. O(size of value).</summary>
    public static void Write<T>(string? path, CommandContext context, T value, JsonTypeInfo<T> typeInfo)
    {
        using OutputTarget target = OutputTarget.Open(path, context);
        Write(target, value, typeInfo);
        target.Commit();
    }

    /// <summary>Serializes <paramref name="value"/> followed by a newline to <paramref name="target"/> (not committed).</summary>
    public static void Write<T>(OutputTarget target, T value, JsonTypeInfo<T> typeInfo)
    {
        using (var writer = new Utf8JsonWriter(target.Stream, new JsonWriterOptions
        {
            Indented = typeInfo.Options.WriteIndented,
            Encoder = typeInfo.Options.Encoder,
        }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
        target.Stream.WriteByte((byte)'\n');
    }
}
