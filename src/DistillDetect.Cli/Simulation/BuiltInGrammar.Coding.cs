namespace DistillDetect.Cli.Simulation;

internal static partial class BuiltInGrammar
{
    private static IEnumerable<KeyValuePair<string, string[]>> CodingRules()
    {
        yield return R("lang", "Python", "TypeScript", "JavaScript", "Java", "C#", "C++", "C", "Go", "Rust", "Kotlin", "Swift", "Ruby",
            "PHP", "Scala", "Haskell", "Elixir", "Lua", "Julia", "R", "Dart", "Zig", "OCaml", "F#", "Clojure", "Perl", "Bash");
        yield return R("unit", "function", "function", "method", "class", "module", "generic function", "static method", "library routine",
            "command-line tool", "small package");
        yield return R("ds", "linked list", "doubly linked list", "binary search tree", "red-black tree", "AVL tree", "B-tree", "trie",
            "radix tree", "hash map with open addressing", "hash map with separate chaining", "skip list", "binary min-heap", "d-ary heap",
            "Fenwick tree", "segment tree with lazy propagation", "disjoint-set forest", "LRU cache", "LFU cache", "ring buffer", "deque",
            "Bloom filter", "counting Bloom filter", "interval tree", "sparse matrix in CSR format", "adjacency-list graph", "bitset",
            "rope", "persistent vector", "indexed priority queue", "quadtree", "k-d tree", "suffix array", "circular queue", "treap",
            "sorted array set", "cuckoo hash table", "HyperLogLog sketch", "count-min sketch", "union of sorted runs");
        yield return R("elem", "integers", "64-bit integers", "floating-point numbers", "strings", "Unicode strings", "key-value pairs",
            "timestamps", "closed intervals", "points in the plane", "user records", "log lines", "raw bytes", "nested lists", "dates",
            "currency amounts", "IPv4 addresses", "email addresses", "file paths", "words", "sensor readings", "order objects", "edges");
        yield return R("coll", "array", "list", "vector", "stream", "iterator", "slice", "sequence", "file", "generator");
        yield return R("format", "JSON", "CSV", "TOML", "YAML", "INI", "XML", "Markdown", "HTTP header", "URL query string",
            "semantic version", "cron expression", "ISO-8601 duration", "RFC 5322 address", "Protobuf text", "S-expression");
        yield return R("operation",
            "returns the {k}th smallest element of {a ds} of {elem}",
            "merges two sorted {coll}s of {elem} into a single sorted {coll}",
            "finds the longest substring of a string without repeating characters",
            "detects whether a directed graph given as {graph_repr} contains a cycle and returns one cycle if it does",
            "computes the Levenshtein edit distance between two strings and the list of edits",
            "parses {a format} document into native objects and reports the line and column of the first error",
            "validates {a format} value and returns a list of every problem found",
            "rotates an N by N matrix of {elem} by 90 degrees clockwise in place",
            "groups {a coll} of {elem} by {grouping} and returns a map from group to count",
            "removes duplicates from {a coll} of {elem} while keeping the first occurrence of each",
            "counts the islands in a grid of 0s and 1s where land connects {connectivity}",
            "serializes {a ds} to a compact byte string and deserializes it back",
            "evaluates an arithmetic expression with +, -, *, /, unary minus and parentheses, respecting precedence",
            "converts Roman numerals to integers and back, rejecting malformed input",
            "lists every permutation of {a coll} of {elem} without producing duplicates",
            "wraps an HTTP call with retries using exponential backoff and full jitter, giving up after {#3-10} attempts",
            "limits calls to at most {#2-500} per {time_unit} with a token bucket",
            "splits source text into tokens for a tiny language with identifiers, numbers, strings and comments",
            "maintains the running median of a stream of {elem}",
            "finds the shortest path between two nodes of a weighted graph with Dijkstra's algorithm and returns the path",
            "orders build tasks so that every task comes after its dependencies, reporting a cycle if there is one",
            "checks that brackets of three kinds are balanced and reports the position of the first mismatch",
            "compresses a string with run-length encoding and decompresses it",
            "assigns meetings to the smallest number of rooms given their start and end times",
            "merges overlapping closed intervals and returns them sorted",
            "returns the maximum sum of a contiguous subarray together with its start and end index",
            "returns the {k} most frequent words in a text, ignoring case and punctuation",
            "answers range-sum queries on {a coll} of {elem} after building a prefix-sum table",
            "checks whether a partially filled 9 by 9 Sudoku board is valid",
            "generates all well-formed strings of n pairs of parentheses",
            "solves the 0/1 knapsack problem for up to {#20-500} items and returns the chosen items",
            "computes the longest increasing subsequence of {a coll} of {elem} in O(n log n)",
            "finds near-duplicate {elem} using a similarity threshold of {#50-95} percent",
            "computes the convex hull of a set of points in the plane",
            "checks whether two strings are anagrams of each other using constant extra space for ASCII",
            "implements binary search that returns the first index whose value is not less than the target",
            "flattens an arbitrarily nested list while keeping the order of elements",
            "finds the lowest common ancestor of two nodes in {a ds}",
            "computes the number of distinct ways to climb {#10-80} stairs taking {#1-3} or {#2-5} steps at a time",
            "reverses the words of a sentence in place without allocating a new buffer",
            "converts between {timezone_a} and {timezone_b} timestamps, handling daylight saving transitions",
            "paginates results from an API that returns a cursor, collecting at most {#100-5000} items",
            "watches a directory and processes every new {format} file exactly once",
            "deduplicates an event stream by id within a sliding window of {#1-60} {time_unit}s",
            "computes a rolling average over the last {#3-100} {elem} in constant time per update",
            "encodes and decodes Base64 without using the standard library",
            "builds a Huffman code for the characters of a text and encodes the text with it",
            "finds all pairs in {a coll} of integers that sum to a target value",
            "computes the determinant of a square matrix using Gaussian elimination with partial pivoting",
            "schedules jobs with deadlines and profits to maximize total profit",
            "finds strongly connected components of a directed graph with Tarjan's algorithm",
            "implements a simple regular expression matcher supporting '.', '*' and '?'",
            "computes the minimum spanning tree of an undirected graph with Kruskal's algorithm",
            "splits a large {format} file into chunks of at most {#1-500} megabytes on record boundaries",
            "diffs two versions of a text line by line and prints a unified diff",
            "generates unique short ids from an increasing counter, like a URL shortener",
            "renders a table of {elem} as aligned plain text with a header row",
            "reads configuration from environment variables with typed defaults and validation",
            "computes the checksum of a file in streaming fashion and compares it against an expected value");
        yield return R("k", "k", "second", "third", "{#3-20}th", "median");
        yield return R("graph_repr", "an adjacency list", "an edge list", "an adjacency matrix", "a map from node to successors");
        yield return R("grouping", "their first letter", "the day they fall on", "length", "their domain", "the hour of day", "a key function supplied by the caller");
        yield return R("connectivity", "horizontally and vertically", "in all eight directions", "only horizontally");
        yield return R("time_unit", "second", "minute", "hour", "millisecond");
        yield return R("timezone_a", "UTC", "local", "Unix epoch", "ISO-8601");
        yield return R("timezone_b", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "local wall-clock");
        yield return R("impl_intro", "Write", "Implement", "Create", "Write", "Code", "Build", "Develop");
        yield return R("req",
            "handle empty input by returning {empty_ret}",
            "run in O({complexity}) time",
            "use at most O({space}) extra memory",
            "not use {forbidden}",
            "raise {a error_kind} on invalid input",
            "be safe to call from several threads at once",
            "avoid recursion so deep inputs cannot overflow the stack",
            "keep the public signature {sig}",
            "include type annotations on every parameter",
            "log each decision at debug level",
            "stream the input instead of loading it into memory",
            "preserve the original order of equal elements",
            "treat letters case-insensitively",
            "work for inputs of up to {#2-900} million elements",
            "return results in a deterministic order",
            "document every public member",
            "validate arguments before doing any work",
            "make the hot loop allocation-free",
            "accept a cancellation token or equivalent and stop promptly",
            "expose the core logic as a pure function that is easy to test",
            "handle negative numbers and zero correctly",
            "report progress every {#1000-100000} items",
            "be generic over the element type",
            "fail fast with a clear message when the input is malformed");
        yield return R("empty_ret", "an empty list", "null", "zero", "None", "an error", "the default value", "an empty string");
        yield return R("complexity", "n", "n log n", "log n", "n + m", "n * k", "n^2", "V + E", "(V + E) log V");
        yield return R("space", "1", "n", "log n", "k", "sqrt n");
        yield return R("forbidden", "any third-party library", "the built-in sort", "regular expressions", "global variables",
            "recursion", "exceptions for control flow", "reflection", "floating-point arithmetic", "mutable shared state");
        yield return R("error_kind", "ValueError", "IllegalArgumentException", "ArgumentException", "custom error type", "descriptive error",
            "TypeError", "error result instead of panicking", "checked exception");
        yield return R("sig", "`{snake}({snake}, {snake})`", "`{ident}({ident}: {type_name}) -> {type_name}`",
            "`{type_name} {ident}({type_name} {ident}, int {ident})`", "`fn {snake}({snake}: &[{type_name}]) -> {type_name}`");
        yield return R("type_name", "int", "str", "bool", "List<int>", "Vec<u64>", "string[]", "Map<string, number>", "double",
            "Option<usize>", "IReadOnlyList<T>", "dict", "bytes", "long");
        yield return R("test_fw", "pytest", "JUnit 5", "xUnit", "Jest", "Go's testing package", "cargo test", "RSpec", "ExUnit",
            "property-based tests", "table-driven tests");
        yield return R("input_spec",
            "The input is {a coll} of up to {#2-9}{#0-9}0,000 {elem}.",
            "Inputs arrive one per line on standard input.",
            "The function receives {a coll} of {elem} and {a extra_param}.",
            "Assume the input fits in memory but can contain duplicates.",
            "The data comes from {a source} and may contain malformed entries.",
            "Values range from {#-1000-0} to {#1-100000}.");
        yield return R("extra_param", "target value", "window size", "comparison function", "maximum depth", "tolerance", "limit k", "separator character");
        yield return R("source", "REST API", "message queue", "Postgres table", "log file", "CSV export", "sensor gateway", "S3 bucket");
        yield return R("example",
            "Example: for input {intlist} the output should be {intlist}.",
            "For example, given {intlist} and {#1-10}, return {#0-99}.",
            "Example input: \"{word} {word} {word}\"; expected output: \"{word} {word}\".",
            "Example: `{snake}({intlist})` returns `{#0-500}`.");
        yield return R("details",
            "{input_spec} {reqs}",
            "{reqs} [?{example}]",
            "{input_spec} {reqs} {example}",
            "{reqs} [?Also write {#3-10} unit tests with {test_fw}.]",
            "{input_spec} [?{example}] [?State the time and space complexity.]",
            "{reqs} [?{example}] [?Also write {#3-10} unit tests with {test_fw}.] [?Explain any trade-offs you make.]");
        yield return R("reqs",
            "It must {req}.",
            "It must {req} and {req}.",
            "Requirements:\n- {req}\n- {req}\n[?- {req}\n][?- {req}\n]",
            "Constraints: {req}; {req}[?; {req}].");
        yield return R("ds_ops", "insert, delete and lookup", "push, pop and peek", "insert, range query and delete",
            "union, find and set size", "get, put and eviction of the least valuable entry", "add, contains and approximate count",
            "iteration in sorted order, insert and remove", "split, concatenate and index");
        yield return R("code_snippet",
            "```\ndef {snake}({snake}, {snake}):\n    {snake} = []\n    for {snake} in {snake}:\n        if {snake} {cmp} {#0-100}:\n            {snake}.append({snake} * {#2-9})\n    return {snake}\n```",
            "```\nfunction {ident}({ident}, {ident}) \\{\n  let {ident} = 0;\n  for (let i = 0; i <= {ident}.length; i++) \\{\n    {ident} += {ident}[i] {op} {#1-9};\n  \\}\n  return {ident};\n\\}\n```",
            "```\npublic {type_name} {Pascal}({type_name} {ident}) \\{\n    var {ident} = new Dictionary<string, int>();\n    foreach (var {ident} in {ident}) \\{\n        {ident}[{ident}.{Pascal}] += {#1-5};\n    \\}\n    return {ident}.Count;\n\\}\n```",
            "```\nfunc {ident}({ident} []int) int \\{\n\t{ident} := 0\n\tfor i := 1; i < len({ident}); i++ \\{\n\t\tif {ident}[i] {cmp} {ident}[i-1] \\{\n\t\t\t{ident}++\n\t\t\\}\n\t\\}\n\treturn {ident}\n\\}\n```",
            "```\nSELECT {snake}, COUNT(*) AS {snake}\nFROM {snake}\nWHERE {snake} {cmp} {#1-1000}\nGROUP BY {snake}\nORDER BY {snake} DESC;\n```");
        yield return R("cmp", ">", "<", ">=", "<=", "==", "!=");
        yield return R("op", "+", "-", "*", "%");
        yield return R("bug_symptom", "returns the wrong result for the last element", "crashes on empty input",
            "is off by one when the list has an even length", "never terminates for negative inputs",
            "double-counts items that appear twice", "throws a null reference error intermittently",
            "is extremely slow for inputs above {#1-100} thousand items", "loses precision for large values",
            "gives different answers on different runs");
        yield return R("refactor_goal", "remove the duplication and make it readable", "make it run in linear time",
            "make it testable without a database", "use immutable data structures", "split it into small pure functions",
            "handle errors explicitly instead of ignoring them", "remove the global state", "make it idiomatic {lang}");
        yield return R("program_kind", "command-line tool", "background worker", "HTTP service", "library", "script", "daemon", "plugin");
        yield return R("system_task",
            "tails a log file, parses each line as {a format} record and sends an alert when the error rate over {#1-15} minutes exceeds {#1-20} percent",
            "exposes a REST endpoint `/{snake}` that accepts {a format} body, validates it and stores it in {a store}",
            "copies files between two directories, skipping files whose checksum is unchanged, with a dry-run flag",
            "downloads {#10-500} URLs concurrently with at most {#2-32} requests in flight and writes a summary report",
            "consumes messages from a queue, processes them idempotently and moves poison messages to a dead-letter queue",
            "generates a daily report of {elem} from {a store} and emails it as a CSV attachment",
            "implements a key-value store with a write-ahead log and crash recovery",
            "runs scheduled jobs described by cron expressions and records every run",
            "resizes uploaded images to {#2-5} sizes and caches the results on disk",
            "synchronizes contacts between two address books, resolving conflicts by the most recent edit");
        yield return R("store", "SQLite database", "Postgres table", "Redis instance", "directory of files", "S3-compatible bucket", "MongoDB collection");
        yield return R("sql_task",
            "Write a SQL query that returns, for each {snake}, the {#2-10} most recent {snake} rows and the running total of {snake}.",
            "Write a SQL query that finds customers who ordered in {month} but not in the following month, with their total spend.",
            "Given tables `{snake}({snake}, {snake}, created_at)` and `{snake}({snake}, amount)`, write a query that reports the monthly revenue growth rate.",
            "Write a SQL query that detects gaps longer than {#2-30} days in each user's activity and lists them with start and end dates.",
            "Write a SQL migration that splits the `{snake}` column into two columns without losing data and can be rolled back.");
        yield return R("coding_task",
            "{impl_intro} {a lang} {unit} named `{ident}` that {operation}. {details}",
            "{impl_intro} {a lang} {unit} that {operation}. {details}",
            "In {lang}, {impl_lower} {a unit} that {operation}. {details}",
            "Implement {a ds} of {elem} in {lang} that supports {ds_ops}. {reqs} [?{example}]",
            "Implement {a ds} in {lang} from scratch with {ds_ops}. Explain the invariants it maintains. {reqs}",
            "The following {lang} code is supposed to {operation_short}, but it {bug_symptom}. Find the bug, explain it and give a fixed version.\n\n{code_snippet}",
            "Refactor this code to {refactor_goal}. Keep the behaviour identical and explain each change.\n\n{code_snippet}",
            "Given {a coll} of {elem}, {operation_short}. {reqs} {example}",
            "{impl_intro} {a lang} {program_kind} that {system_task}. {reqs}",
            "{sql_task} [?Explain how the query uses indexes.] [?The `{snake}` table has about {#1-900} million rows.]",
            "Write unit tests with {test_fw} for {a lang} {unit} that {operation}. Cover edge cases such as {edge_case} and {edge_case}.",
            "Translate this code into {lang}, keeping the same behaviour and using idiomatic constructs.\n\n{code_snippet}",
            "Design and implement in {lang} {a ds} of {elem} that supports {ds_ops}. Analyze the complexity of every operation and {req}.");
        yield return R("impl_lower", "write", "implement", "create", "code up", "build");
        yield return R("operation_short", "return the {k} largest value", "merge the two inputs in sorted order", "remove duplicates",
            "count distinct values", "compute the moving average", "validate each entry", "group entries by key",
            "find the longest run of equal values", "sum values per category", "find the first missing positive integer",
            "return the indices of two values adding up to a target", "compute the balance after each transaction");
        yield return R("edge_case", "empty input", "a single element", "all elements equal", "very large values", "negative numbers",
            "unicode text", "duplicate keys", "unsorted input", "null entries", "maximum-length input");
    }
}
