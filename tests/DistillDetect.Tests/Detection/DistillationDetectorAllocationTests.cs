using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

public sealed class DistillationDetectorAllocationTests
{
    [Fact]
    public void Observe_KnownAccountAndTemplate_AllocatesNothing()
    {
        DetectionWorld world = DetectionWorld.Default;
        DistillationDetector detector = DistillationDetector.FromBytes(world.Detector.ToBytes());
        string account = world.Report.Accounts[0].Account;
        var random = new Random(1);
        var traffic = new SyntheticTraffic(1);
        // A 2 KB prompt of a campaign wrapper: joins a known template, so the template index allocates nothing either.
        string prompt = SyntheticTraffic.Wrappers[0].Replace("{0}", traffic.Text(random, 20), StringComparison.Ordinal);
        Assert.InRange(prompt.Length, 1500, 4000);
        string padded = account + "|suffix"; // observed as a span of this, not the dictionary's string
        DateTimeOffset t = world.Traffic[^1].Timestamp;
        for (int i = 0; i < 2000; i++) detector.Observe(padded.AsSpan(0, account.Length), t.AddSeconds(i), prompt);

        // Steady state: rounds of 1,000 calls, the best of them (see Allocations.Fewest).
        RequestVerdict verdict = default;
        int next = 2000;
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 1000; i++) verdict = detector.Observe(padded.AsSpan(0, account.Length), t.AddSeconds(next++), prompt);
        });

        Assert.Equal(0, allocated);
        Assert.True(verdict.IsAccountFlagged);
        Assert.True(verdict.IsCampaignTemplate);
    }

    [Fact]
    public void Observe_NewAccounts_CostAboutTheDocumentedBytesEach()
    {
        var detector = new DistillationDetector();
        string prompt = "hello, please tell me a short story about a dragon who learns to code";
        var names = new string[4000];
        for (int i = 0; i < names.Length; i++) names[i] = $"acct-{i:D8}";
        for (int i = 0; i < 1000; i++) detector.Observe(names[i], SyntheticTraffic.Start, prompt);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1000; i < names.Length; i++) detector.Observe(names[i], SyntheticTraffic.Start, prompt);
        double perAccount = (GC.GetAllocatedBytesForCurrentThread() - before) / 3000.0;
        TestContext.Current.TestOutputHelper?.WriteLine($"bytes allocated per new account: {perAccount:F0}");
        // The documented figure is about 2.9 KB (profile about 2 KB + state + dictionary node + key); allow for dictionary growth.
        Assert.InRange(perAccount, 1000, 4500);
    }
}
