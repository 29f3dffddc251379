using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Detection;

public sealed class DetectionSimulationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Analyze_SimulatedCampaigns_Explore(int evasion)
    {
        double scale = double.Parse(Environment.GetEnvironmentVariable("DD_SCALE") ?? "0.001", System.Globalization.CultureInfo.InvariantCulture);
        ReplayResult result = SimulationReplay.Run(new SimulationOptions { Seed = 7, Scale = scale, Evasion = evasion }, analyzeEvery: TimeSpan.FromHours(6));
        TestContext.Current.TestOutputHelper?.WriteLine(result.ToString());
        File.AppendAllText("/tmp/h_sim.txt", $"evasion {evasion} scale {scale}: {result}\n");
    }
}
