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
        ReadOnlySpan<char> accountSpan = (account + "|suffix").AsSpan(0, account.Length); // a span, not the dictionary's string
        DateTimeOffset t = world.Traffic[^1].Timestamp;
        for (int i = 0; i < 2000; i++) detector.Observe(accountSpan, t.AddSeconds(i), prompt);

        // Steady state: the JIT's background tier-up (slower on a loaded machine) can allocate on this thread
        // while it installs recompiled code, so take the best of a few rounds of 1,000 calls.
        RequestVerdict verdict = default;
        long allocated = long.MaxValue;
        for (int round = 0; round < 5 && allocated != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) verdict = detector.Observe(accountSpan, t.AddSeconds(2000 + round * 1000 + i), prompt);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

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
