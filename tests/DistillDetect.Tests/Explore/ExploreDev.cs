using DistillDetect.Tests.Evaluation;

namespace DistillDetect.Tests.Explore;

public sealed class ExploreDev
{
    [Fact]
    public void Dev()
    {
        if (Environment.GetEnvironmentVariable("DD_EXPLORE") != "1") Assert.Skip("explore");
        bool real = Environment.GetEnvironmentVariable("DD_REAL") != "0";
        var tasks = real ? DetectionFigures.Prompts(DetectionFigures.TaskFiles, false) : null;
        var legit = real ? DetectionFigures.Prompts(DetectionFigures.LegitFiles, false) : null;
        foreach (int seed in DetectionFigures.Numbers("DD_SEEDS", "3"))
        foreach (int evasion in DetectionFigures.Numbers("DD_LEVELS", "2"))
        {
            var row = DetectionFigures.Run(real ? "real-dev" : "grammar", double.Parse(Environment.GetEnvironmentVariable("DD_SCALE") ?? "0.003", System.Globalization.CultureInfo.InvariantCulture), evasion, seed, tasks, legit);
            File.AppendAllText(Environment.GetEnvironmentVariable("DD_OUT") ?? "/work/runs/dev.txt", "seed " + seed + " " + DetectionFigures.Format(row) + "\n");
        }
    }
}
