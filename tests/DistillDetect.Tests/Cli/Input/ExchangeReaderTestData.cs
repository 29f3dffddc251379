using System.Text;
using DistillDetect.Cli.Input;

namespace DistillDetect.Tests.Cli.Input;

internal static class ExchangeReaderTestData
{
    public const ExchangeFields AccountTimePrompt = ExchangeFields.Account | ExchangeFields.Timestamp | ExchangeFields.Prompt;

    public static (List<ExchangeRecord> Records, string Errors, ExchangeReader Reader) Read(
        string text, ExchangeFields required = AccountTimePrompt, ExchangeFields optional = ExchangeFields.Id,
        InputFormat format = InputFormat.Auto, int bufferSize = 1 << 20) =>
        Read(Encoding.UTF8.GetBytes(text), required, optional, format, bufferSize);

    public static (List<ExchangeRecord> Records, string Errors, ExchangeReader Reader) Read(
        byte[] bytes, ExchangeFields required = AccountTimePrompt, ExchangeFields optional = ExchangeFields.Id,
        InputFormat format = InputFormat.Auto, int bufferSize = 1 << 20)
    {
        var errors = new StringWriter();
        var reader = new ExchangeReader(new MemoryStream(bytes), required, optional, format, "test", errors, bufferSize: bufferSize);
        var records = reader.ReadAll().ToList();
        reader.Dispose();
        return (records, errors.ToString(), reader);
    }

    public static DateTimeOffset T(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
}
