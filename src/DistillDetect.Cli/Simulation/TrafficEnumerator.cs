using System.Collections;
using System.Text;

namespace DistillDetect.Cli.Simulation;

/// <summary>
/// One pass over a <see cref="TrafficSimulator"/>'s traffic: per-account generator states in an array and a
/// heap of their next times. Set-up allocates exchange counts exactly (O(accounts)); each
/// <see cref="MoveNext"/> emits the earliest pending exchange and schedules that account's next one. Not thread-safe.
/// </summary>
internal sealed class TrafficEnumerator : IEnumerator<SimulatedExchange>
{
    private const int MinTaskLength = 100;
    private const int MaxTaskLength = 2000;

    private readonly TrafficSimulator _sim;
    private readonly AccountState[] _states;
    private readonly TimeHeap _heap;
    private readonly StringBuilder _text = new(4096);
    private readonly StringBuilder _noisy = new(4096);
    private readonly PromptGrammar _grammar = BuiltInGrammar.Instance;
    private readonly int _codingTask;
    private readonly int _agenticTask;
    private readonly int _codingRequest;
    private readonly int _agenticRequest;
    private readonly int _everydayRequest;
    private readonly int _supportTicket;
    private readonly int _req;
    private readonly long _startTicks;
    private SimulatedExchange _current;

    /// <summary>Sets up the generators of every account (O(accounts) time and about 140 bytes per account).</summary>
    public TrafficEnumerator(TrafficSimulator simulator)
    {
        _sim = simulator;
        _codingTask = _grammar.RuleId("coding_task");
        _agenticTask = _grammar.RuleId("agentic_task");
        _codingRequest = _grammar.RuleId("coding_request");
        _agenticRequest = _grammar.RuleId("agentic_request");
        _everydayRequest = _grammar.RuleId("everyday_request");
        _supportTicket = _grammar.RuleId("support_ticket");
        _req = _grammar.RuleId("req");
        _startTicks = simulator.Options.Start.UtcTicks;
        int n = simulator.AccountCount;
        _states = new AccountState[n];
        _heap = new TimeHeap(n);

        SimulationCounts counts = simulator.Counts;
        for (int i = 0; i < simulator.CampaignAccounts.Length; i++)
        {
            Add(simulator.CampaignStart + i, simulator.CampaignAccounts[i].Count);
        }
        AddGroup(simulator.HeavyCoderStart, simulator.ServiceKeyStart, counts.HeavyCoderExchanges, 500);
        AddGroup(simulator.ServiceKeyStart, simulator.PopularPromptStart, counts.ServiceKeyExchanges, 300);
        AddGroup(simulator.PopularPromptStart, simulator.OrdinaryStart, counts.PopularPromptExchanges, 3);
        AddGroup(simulator.OrdinaryStart, simulator.AccountCount, counts.OrdinaryExchanges, 1);
        _heap.Heapify();
    }

    /// <inheritdoc/>
    public SimulatedExchange Current => _current;

    object IEnumerator.Current => _current;

    /// <summary>Emits the next exchange in timestamp order; false when every account is done.</summary>
    public bool MoveNext()
    {
        if (_heap.Count == 0)
        {
            return false;
        }
        long time = _heap.TopTime;
        int account = _heap.TopAccount;
        ref AccountState state = ref _states[account];
        string prompt = GeneratePrompt(ref state);
        _current = new SimulatedExchange(_sim.AccountName(account), new DateTimeOffset(_startTicks + (time * TimeSpan.TicksPerMillisecond), TimeSpan.Zero), prompt);
        state.Remaining--;
        if (state.Remaining > 0)
        {
            _heap.ReplaceTopTime(_sim.ScheduleNext(ref state));
        }
        else
        {
            _heap.Pop();
        }
        return true;
    }

    /// <summary>Not supported: enumerate the simulator again for a fresh pass.</summary>
    public void Reset() => throw new NotSupportedException("Enumerate the TrafficSimulator again for a new pass.");

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Add(int index, int count)
    {
        ref AccountState state = ref _states[index];
        _sim.InitializeAccount(index, count, ref state);
        _heap.AddUnordered(_sim.ScheduleNext(ref state), index);
    }

    private void AddGroup(int from, int to, long total, int minimum)
    {
        if (to <= from)
        {
            return;
        }
        double[] weights = new double[to - from];
        for (int i = from; i < to; i++)
        {
            weights[i - from] = _sim.VolumeWeight(i);
        }
        int[] counts = new int[to - from];
        TrafficSimulator.Allocate(total, minimum, weights, counts);
        for (int i = from; i < to; i++)
        {
            Add(i, counts[i - from]);
        }
    }

    private string GeneratePrompt(ref AccountState state)
    {
        ref SplitMix64 rng = ref state.Rng;
        switch (state.Role)
        {
            case AccountRole.Campaign:
                return CampaignPrompt(ref state, ref rng);
            case AccountRole.HeavyCoder:
            {
                if (_sim.HeavyCoderTasks is { } tasks)
                {
                    return tasks[rng.NextInt(tasks.Count)];
                }
                double u = rng.NextDouble();
                return Expand(u < 0.8 ? _codingRequest : u < 0.95 ? _codingTask : _everydayRequest, ref rng);
            }
            case AccountRole.ServiceKey:
                _text.Clear();
                _text.Append(PopularPrompts.BatchTemplate);
                int at = PopularPrompts.BatchTemplate.IndexOf("{ticket}", StringComparison.Ordinal);
                _text.Remove(at, "{ticket}".Length);
                _noisy.Clear();
                _grammar.ExpandTidy(_supportTicket, ref rng, _noisy);
                _text.Insert(at, _noisy.ToString());
                return _text.ToString();
            case AccountRole.PopularPrompt:
                if (state.PastesLeft > 0 && rng.NextDouble() * state.Remaining < state.PastesLeft)
                {
                    state.PastesLeft--;
                    return PopularPrompts.Pasted[state.Plan];
                }
                return LegitimatePrompt(state.CodeShare, ref rng);
            default:
                return LegitimatePrompt(state.CodeShare, ref rng);
        }
    }

    private string LegitimatePrompt(double codeShare, ref SplitMix64 rng)
    {
        if (_sim.Options.LegitPrompts is { } prompts)
        {
            return prompts[rng.NextInt(prompts.Count)];
        }
        double u = rng.NextDouble();
        return Expand(u < codeShare ? _codingRequest : u < codeShare + 0.03 ? _agenticRequest : _everydayRequest, ref rng);
    }

    private string Expand(int rule, ref SplitMix64 rng)
    {
        _text.Clear();
        _grammar.ExpandTidy(rule, ref rng, _text);
        return _text.ToString();
    }

    private string CampaignPrompt(ref AccountState state, ref SplitMix64 rng)
    {
        CampaignAccountPlan plan = _sim.CampaignAccounts[state.Plan];
        CampaignPlan campaign = _sim.Campaigns[plan.Campaign];
        int level = _sim.Options.Evasion;
        string text;
        if (plan.MixesLegitimate && rng.Chance(0.2))
        {
            text = LegitimatePrompt(state.CodeShare, ref rng);
        }
        else
        {
            string[] variants = CampaignWrappers.Pool[campaign.Templates[rng.NextInt(campaign.Templates.Length)]];
            string wrapper = variants[level >= 3 ? rng.NextInt(variants.Length) : 0];
            if (level >= 2)
            {
                wrapper = EvasionNoise.SubstituteSynonyms(wrapper, plan.SynonymRate, ref rng);
                if (rng.Chance(plan.ReorderRate))
                {
                    wrapper = EvasionNoise.Reorder(wrapper, ref rng);
                }
            }
            string task = Task(campaign.CodingShare, ref rng);
            text = wrapper.Replace(CampaignWrappers.TaskPlaceholder, task, StringComparison.Ordinal);
            if (level >= 2 && rng.Chance(plan.OpenerRate))
            {
                text = EvasionNoise.Openers[rng.NextInt(EvasionNoise.Openers.Length)] + (rng.Chance(0.5) ? " " : "\n") + text;
            }
        }
        if (level >= 1)
        {
            _noisy.Clear();
            EvasionNoise.AppendCharacterNoise(text, plan.HomoglyphRate, plan.ZeroWidthRate, plan.WhitespaceRate, ref rng, _noisy);
            text = _noisy.ToString();
        }
        return text;
    }

    /// <summary>A campaign task: from the caller's list when given, else the grammar, kept to 100-2000 characters.</summary>
    private string Task(double codingShare, ref SplitMix64 rng)
    {
        if (_sim.CampaignTasks is { } tasks)
        {
            return tasks[rng.NextInt(tasks.Count)];
        }
        int rule = rng.NextDouble() < codingShare ? _codingTask : _agenticTask;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            _text.Clear();
            _grammar.ExpandTidy(rule, ref rng, _text);
            if (_text.Length is >= MinTaskLength and <= MaxTaskLength)
            {
                return _text.ToString();
            }
        }
        while (_text.Length < MinTaskLength)
        {
            _text.Append(" It must ");
            _grammar.Expand(_req, ref rng, _text);
            _text.Append('.');
        }
        if (_text.Length > MaxTaskLength)
        {
            int cut = MaxTaskLength;
            while (cut > MinTaskLength && !char.IsWhiteSpace(_text[cut]))
            {
                cut--;
            }
            _text.Length = cut;
        }
        return _text.ToString();
    }
}
