namespace DistillDetect.Cli.Simulation;

/// <summary>
/// The simulator's own prompt grammar (all text written for this project): coding tasks, agentic tasks,
/// human coding requests, everyday requests and support tickets. Wide enough that two random prompts
/// share almost no word 3-shingles; near-duplicates arise only where a campaign or batch template makes them.
/// </summary>
/// <remarks>Top-level rules: <c>coding_task</c>, <c>agentic_task</c>, <c>coding_request</c>,
/// <c>agentic_request</c>, <c>everyday_request</c>, <c>support_ticket</c>. Built once, thread-safe.</remarks>
internal static partial class BuiltInGrammar
{
    private static readonly Lazy<PromptGrammar> s_instance = new(() => new PromptGrammar(AllRules()));

    /// <summary>The compiled grammar (built on first use, about a millisecond).</summary>
    public static PromptGrammar Instance => s_instance.Value;

    private static IEnumerable<KeyValuePair<string, string[]>> AllRules()
    {
        foreach (var rule in SharedRules())
        {
            yield return rule;
        }
        foreach (var rule in CodingRules())
        {
            yield return rule;
        }
        foreach (var rule in AgenticRules())
        {
            yield return rule;
        }
        foreach (var rule in EverydayRules())
        {
            yield return rule;
        }
        foreach (var rule in BusinessRules())
        {
            yield return rule;
        }
    }

    private static KeyValuePair<string, string[]> R(string name, params string[] alternatives) => new(name, alternatives);

    private static IEnumerable<KeyValuePair<string, string[]>> SharedRules()
    {
        yield return R("idw", "user", "order", "item", "total", "count", "node", "edge", "cache", "buffer", "token", "score", "price",
            "record", "entry", "path", "queue", "batch", "result", "value", "index", "offset", "limit", "window", "session", "account",
            "invoice", "payload", "config", "metric", "event", "request", "response", "row", "column", "cell", "matrix", "vector", "weight",
            "label", "graph", "parent", "child", "left", "right", "head", "tail", "span", "chunk", "block", "page", "frame", "slot", "task",
            "job", "worker", "retry", "timeout", "delay", "rate", "bucket", "shard", "key", "hash", "seed", "sample", "range", "interval",
            "deadline", "owner", "group", "member", "ledger", "balance", "stock", "ticker", "sensor", "reading", "packet", "route");
        yield return R("ident", "{idw}{^idw}", "{idw}{^idw}{^idw}", "{idw}", "{idw}{^idw}s", "max{^idw}", "min{^idw}", "get{^idw}{^idw}",
            "is{^idw}Valid", "{idw}By{^idw}", "num{^idw}s", "{idw}{#2-9}");
        yield return R("snake", "{idw}_{idw}", "{idw}_{idw}_{idw}", "{idw}", "{idw}s", "max_{idw}", "min_{idw}", "get_{idw}_{idw}",
            "is_valid_{idw}", "{idw}_by_{idw}", "num_{idw}s", "{idw}{#2-9}");
        yield return R("Pascal", "{^idw}{^idw}", "{^idw}{^idw}{^idw}", "{^idw}Service", "{^idw}Repository", "{^idw}Manager", "{^idw}Store",
            "{^idw}Parser", "{^idw}Builder", "{^idw}Client", "{^idw}Handler", "{^idw}Validator", "{^idw}Scheduler");
        yield return R("first", "Alice", "Bob", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kavya", "Liam",
            "Mei", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sanjay", "Tomas", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Aisha",
            "Bruno", "Chloe", "Diego", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia", "Oscar",
            "Priya", "Rafael", "Sofia", "Theo", "Valentina", "William", "Yara", "Amir", "Beatriz", "Connor", "Daria", "Ethan", "Freya");
        yield return R("last", "Smith", "Okafor", "Nguyen", "Garcia", "Kowalski", "Tanaka", "Mueller", "Rossi", "Haddad", "Johansson",
            "Petrov", "Silva", "Kim", "Chen", "Patel", "Dubois", "OBrien", "Novak", "Fischer", "Alvarez", "Mensah", "Lindqvist", "Ivanova",
            "Yilmaz", "Costa", "Schneider", "Moreau", "Sato", "Hansen", "Reyes", "Kaur", "Popescu", "Andersen", "Walsh", "Romero");
        yield return R("fullname", "{first} {last}");
        yield return R("city", "Lisbon", "Osaka", "Nairobi", "Montreal", "Krakow", "Seville", "Hanoi", "Cape Town", "Reykjavik", "Lima",
            "Edinburgh", "Tbilisi", "Kyoto", "Valencia", "Melbourne", "Istanbul", "Marrakesh", "Vancouver", "Porto", "Budapest",
            "Copenhagen", "Mexico City", "Buenos Aires", "Seoul", "Taipei", "Dubrovnik", "Prague", "Bologna", "Chicago", "Austin",
            "New Orleans", "Denver", "Singapore", "Bangkok", "Hoi An", "Cusco", "Ljubljana", "Tallinn", "Bergen", "Zanzibar", "Lyon",
            "Munich", "Athens", "Naples", "Queenstown", "Santiago", "Cartagena", "Oaxaca", "Jaipur", "Kathmandu", "Bali", "Sapporo");
        yield return R("month", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December");
        yield return R("weekday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
        yield return R("smallnum", "two", "three", "four", "five", "six", "seven", "eight", "ten", "twelve");
        yield return R("intlist", "[{#0-99}, {#0-99}, {#0-99}, {#0-99}]", "[{#1-9}, {#10-99}, {#1-9}, {#100-999}, {#10-99}]",
            "[{#-50-50}, {#-50-50}, {#-50-50}, {#-50-50}, {#-50-50}, {#-50-50}]", "[{#0-9}, {#0-9}, {#0-9}]", "[]", "[{#1-1000}]");
        yield return R("word", "apple", "river", "sunset", "marble", "copper", "lantern", "meadow", "harbor", "violet", "thunder",
            "pepper", "glacier", "canvas", "orbit", "willow", "ember", "saddle", "quartz", "falcon", "tulip", "anchor", "velvet");
    }
}
