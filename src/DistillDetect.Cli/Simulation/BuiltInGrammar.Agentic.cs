namespace DistillDetect.Cli.Simulation;

internal static partial class BuiltInGrammar
{
    private static IEnumerable<KeyValuePair<string, string[]>> AgenticRules()
    {
        yield return R("tool", "`search_web(query)`", "`read_file(path)`", "`write_file(path, content)`", "`run_shell(command)`",
            "`http_get(url)`", "`http_post(url, body)`", "`query_database(sql)`", "`send_email(to, subject, body)`",
            "`list_directory(path)`", "`run_tests(pattern)`", "`git_diff()`", "`git_commit(message)`", "`open_pull_request(title, body)`",
            "`create_calendar_event(title, start, end)`", "`get_weather(city, date)`", "`python_exec(code)`", "`browser_open(url)`",
            "`browser_click(selector)`", "`vector_search(query, k)`", "`create_ticket(title, body, priority)`", "`kubectl(args)`",
            "`get_stock_price(ticker)`", "`translate(text, target_language)`", "`book_flight(flight_id)`", "`search_flights(from, to, date)`",
            "`read_spreadsheet(path, sheet)`", "`update_spreadsheet(path, range, values)`", "`post_slack_message(channel, text)`",
            "`fetch_metrics(service, window)`", "`restart_service(name)`", "`lookup_customer(email)`", "`issue_refund(order_id, amount)`");
        yield return R("tools", "{tool}, {tool} and {tool}", "{tool}, {tool}, {tool} and {tool}", "{tool}, {tool}, {tool}, {tool} and {tool}",
            "\n- {tool}\n- {tool}\n- {tool}\n[?- {tool}\n][?- {tool}\n]");
        yield return R("agent_goal",
            "find the root cause of the failing CI build in the `{snake}` repository and open a pull request with a fix",
            "compile a table of the {#3-10} cheapest flights from {city} to {city} in {month} and book the best one under {#200-1500} dollars",
            "migrate the `{snake}` service from {store} to {store} without downtime",
            "triage the {#5-60} newest issues labelled `{idw}` and assign each one to the right team",
            "reconcile the invoices in `{snake}.csv` against the bank export and flag every mismatch above {#1-50} dollars",
            "upgrade `{snake}` from version {#1-4}.{#0-20} to {#5-9}.{#0-9} across the monorepo and fix the breaking changes",
            "investigate why p99 latency of the `{snake}` endpoint rose by {#20-400} percent since {weekday} and propose a fix",
            "plan a {#2-6}-day offsite in {city} for {#8-60} people within a budget of {#5-90} thousand dollars",
            "find every place in the codebase where `{ident}` is called without error handling and add it",
            "collect the last {#3-12} months of {metric_name} from the metrics service and write a summary with charts",
            "answer a customer who was charged twice for order {#10000-99999}: verify the charge and refund it if needed",
            "set up a nightly job that backs up the `{snake}` database and verifies the backup can be restored",
            "research the {#3-8} most cited papers on {research_topic} from the last {#2-6} years and summarize their findings",
            "clean the `{snake}` spreadsheet: normalize dates, remove duplicate rows and fill missing {idw} values",
            "rotate the API keys of the `{snake}` service, update every consumer and confirm nothing broke",
            "write and run a script that finds users inactive for {#30-365} days and drafts a re-engagement email for each",
            "reproduce the bug described in ticket {#1000-9999}, write a failing test, fix it and update the changelog",
            "prepare a competitor analysis of {#3-7} companies selling {product_kind}, with pricing and features in a table");
        yield return R("metric_name", "error rates", "daily active users", "CPU utilization", "checkout conversion", "queue depth", "cache hit ratio");
        yield return R("research_topic", "retrieval-augmented generation", "battery degradation", "urban heat islands", "federated learning",
            "sleep and memory", "microplastics in rivers", "graph neural networks", "carbon capture", "protein folding");
        yield return R("product_kind", "project-management software", "electric bikes", "meal kits", "password managers", "CRM tools", "standing desks");
        yield return R("plan_req",
            "First write a numbered plan. Then, for each step, say which tool you call with which arguments, what you expect back and how you recover if the call fails.",
            "Think about the order of operations before acting. Output every tool call as a JSON object with `tool` and `arguments`, and explain your reasoning between calls.",
            "Break the goal into sub-tasks, execute them one at a time and verify each result before moving on. Finish with a short report of what you did.",
            "Produce the complete sequence of tool calls you would make, with the expected observation after each, and the final answer.",
            "Describe your strategy, then carry it out step by step, checking intermediate results and backtracking when something does not match.");
        yield return R("agent_constraint", "Never delete data without confirmation.", "Stop after at most {#5-30} tool calls.",
            "Ask before spending money.", "Do not contact customers directly.", "Work only inside the `{snake}` directory.",
            "Keep a log of every command you run.", "If a tool returns an error twice, escalate instead of retrying.",
            "Use read-only access until the plan is approved.");
        yield return R("agentic_task",
            "You are an autonomous agent with access to these tools: {tools}. Goal: {agent_goal}. {plan_req} [?{agent_constraint}]",
            "Tools available: {tools}\n\nTask: {agent_goal}.\n\n{plan_req} [?{agent_constraint}] [?{agent_constraint}]",
            "Act as an agent that can call {tools}. Your objective is to {agent_goal}. {plan_req}",
            "Using the tools {tools}, {agent_goal}. {plan_req} [?{agent_constraint}]",
            "Goal: {agent_goal}.\nConstraints: {agent_constraint} {agent_constraint}\nYou may call: {tools}.\n{plan_req}");
        yield return R("agentic_request",
            "I'm building an agent with tools like {tool} and {tool}. How should it decide when to {agent_goal}? [?Any prompt tips?]",
            "Can you help me write a plan for my assistant bot to {agent_goal}? It can use {tool} and {tool}.",
            "what's a good way to make an LLM agent {agent_goal} without it going in loops? it keeps calling {tool} over and over",
            "My automation needs to {agent_goal}. Which steps would you automate and which should a person check?");
    }
}
