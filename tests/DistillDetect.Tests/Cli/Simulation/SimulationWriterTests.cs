using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

public partial class SimulationWriterTests
{
    [Fact]
    public void FormatTimestamp_IsoUtcWithMilliseconds()
    {
        Span<byte> buffer = stackalloc byte[24];
        SimulationWriter.FormatTimestamp(new DateTimeOffset(2026, 4, 22, 3, 4, 5, 67, TimeSpan.FromHours(2)), buffer);
        Assert.Equal("2026-04-22T01:04:05.067Z", Encoding.ASCII.GetString(buffer));
        Assert.Throws<ArgumentException>(() => SimulationWriter.FormatTimestamp(DateTimeOffset.UnixEpoch, new byte[23]));
    }

    [Fact]
    public void WriteDirectory_TrafficAndTruth_RoundTripThroughAJsonParser()
    {
        var sim = new TrafficSimulator(new SimulationOptions { Seed = 9, Scale = 0.0002, Evasion = 2 });
        string dir = Directory.CreateTempSubdirectory("distilldetect-sim-").FullName;
        try
        {
            long written = SimulationWriter.WriteDirectory(sim, dir);
            Assert.Equal(sim.Counts.TotalExchanges, written);
            using var exchanges = sim.GetEnumerator();
            long lines = 0;
            foreach (string line in File.ReadLines(Path.Combine(dir, SimulationWriter.TrafficFileName)))
            {
                Assert.True(exchanges.MoveNext());
                using var doc = JsonDocument.Parse(line);
                JsonElement root = doc.RootElement;
                Assert.Equal(["account", "timestamp", "prompt"], root.EnumerateObject().Select(p => p.Name));
                Assert.Equal(exchanges.Current.Account, root.GetProperty("account").GetString());
                Assert.Equal(exchanges.Current.Prompt, root.GetProperty("prompt").GetString());
                string stamp = root.GetProperty("timestamp").GetString()!;
                Assert.Matches(TimestampPattern(), stamp);
                Assert.Equal(exchanges.Current.Timestamp, DateTimeOffset.Parse(stamp, System.Globalization.CultureInfo.InvariantCulture));
                lines++;
            }
            Assert.False(exchanges.MoveNext());
            Assert.Equal(written, lines);

            using var truthDoc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, SimulationWriter.TruthFileName)));
            JsonElement truth = truthDoc.RootElement;
            Assert.Equal(sim.Truth.CampaignAccounts, truth.GetProperty("campaign_accounts").EnumerateArray().Select(e => e.GetString()!));
            foreach (var (id, accounts) in sim.Truth.Campaigns)
            {
                Assert.Equal(accounts, truth.GetProperty("campaigns").GetProperty(id).EnumerateArray().Select(e => e.GetString()!));
            }
            foreach (var (kind, accounts) in sim.Truth.HardNegativeGroups)
            {
                Assert.Equal(accounts, truth.GetProperty("hard_negative_groups").GetProperty(kind).EnumerateArray().Select(e => e.GetString()!));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Golden digest: the first 3,000 lines for fixed options. The simulator promises byte-identical output on every
    /// machine, so CI on another OS or CPU catches any platform dependence (e.g. libm log/exp). Update the constant only
    /// when the generator is changed on purpose.
    /// </summary>
    [Fact]
    public void WriteTraffic_FixedOptions_MatchTheGoldenDigest()
    {
        var sim = new TrafficSimulator(new SimulationOptions { Seed = 2026, Scale = 0.0005, Evasion = 3 });
        using var stream = new MemoryStream();
        SimulationWriter.WriteTraffic(sim.Take(3_000), stream);
        SimulationWriter.WriteTruth(sim.Truth, stream);
        ulong digest = XxHash64.HashToUInt64(stream.ToArray());
        Assert.Equal(GoldenDigest, digest);
    }

    private const ulong GoldenDigest = 6714483525187369071UL;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial System.Text.RegularExpressions.Regex TimestampPattern();
}
