namespace DistillDetect.Accounts;

/// <summary>
/// Chooses LSH bands b and rows r (b x r &lt;= k) with P(candidate | J = threshold) = 1 - (1 - t^r)^b at
/// least the recall target and, among those, the fewest false positives (smallest integral of the
/// candidate probability over J in [0, threshold]).
/// </summary>
internal static class Banding
{
    public static (int Bands, int Rows) ForRecall(double threshold, int hashCount, double recall)
    {
        (int, int) best = (hashCount, 1);
        double bestFalsePositive = double.MaxValue;
        for (int r = 1; r <= hashCount; r++)
        {
            for (int b = 1; b * r <= hashCount; b++)
            {
                if (Probability(threshold, b, r) < recall) continue;
                double fp = FalsePositiveArea(threshold, b, r);
                if (fp < bestFalsePositive - 1e-12)
                {
                    bestFalsePositive = fp;
                    best = (b, r);
                }
                break; // more bands only add false positives
            }
        }
        return best;
    }

    public static double Probability(double j, int bands, int rows) => 1.0 - Math.Pow(1.0 - Math.Pow(j, rows), bands);

    private static double FalsePositiveArea(double threshold, int bands, int rows)
    {
        const int Steps = 200;
        double sum = 0, h = threshold / Steps;
        for (int i = 0; i < Steps; i++) sum += Probability((i + 0.5) * h, bands, rows) * h;
        return sum;
    }
}
