namespace DistillDetect.Cli.Simulation;

/// <summary>
/// The pool of reasoning-eliciting wrapper templates that campaigns put around their tasks (all text written
/// for this project). Each entry is one template: its canonical wording first, then paraphrases that say the
/// same thing in other words (used from evasion level 3). Every variant contains <c>{task}</c> exactly once.
/// </summary>
internal static class CampaignWrappers
{
    /// <summary>The placeholder a wrapper's task goes into.</summary>
    public const string TaskPlaceholder = "{task}";

    /// <summary>Template pool: <c>Pool[t][0]</c> is template t's canonical wording, the rest its paraphrases.</summary>
    public static readonly string[][] Pool =
    [
        [
            "Think step by step and show your full reasoning, then give the complete code: {task}",
            "Work through this one step at a time, writing out all of your reasoning, and finish with the entire code: {task}",
            "Reason it out stepwise with every thought shown, and at the end provide the full program: {task}",
        ],
        [
            "Before answering, reason carefully through every step of the problem. Show all of your thinking, then give the final solution.\n\nProblem: {task}",
            "Take your time and think the problem through in detail before you answer. Write down each part of your thinking, and end with the finished solution.\n\nProblem: {task}",
            "First analyse the problem thoroughly, laying out each reasoning step in writing. Only after that, state the final solution.\n\nProblem: {task}",
        ],
        [
            "You are an expert software engineer. Explain your reasoning in detail, step by step, and then provide a complete, working implementation.\n\nTask: {task}",
            "Act as a senior programmer. Walk me through your thought process in depth, one step after another, and afterwards write a full implementation that runs.\n\nTask: {task}",
            "As a highly experienced developer, describe how you reason about this in detail and in order, and conclude with a complete implementation that works.\n\nTask: {task}",
        ],
        [
            "{task}\n\nLet's think step by step. Write out your complete chain of thought before giving the final answer.",
            "{task}\n\nWe will reason about this gradually. Spell out your entire line of thinking first, and only then the final answer.",
            "{task}\n\nGo one step at a time. Put your whole thought process in writing before you state the answer.",
        ],
        [
            "Solve the following task. First write a detailed plan, then reason through each part of the plan, then write the full code with comments.\n\n{task}",
            "Here is a task for you. Start with a thorough plan, then think through every piece of that plan, and finally produce the whole program with comments.\n\n{task}",
            "Please handle this task: begin by drafting a detailed plan, work through the reasoning for each part, and finish with complete commented code.\n\n{task}",
        ],
        [
            "I want to see how you think. Show every intermediate step of your reasoning, including the alternatives you rejected and why, and then give the final code.\n\n{task}",
            "Let me see your thinking. Lay out each intermediate step, including the options you discarded and your reasons, and then write the final code.\n\n{task}",
            "Show me how you reason: include all the intermediate steps, the approaches you considered and dropped with the reasons, then the finished code.\n\n{task}",
        ],
        [
            "Respond in two parts. Part 1: your full reasoning, step by step. Part 2: the complete solution.\n\n### Task\n{task}",
            "Answer in two sections. Section 1: all of your reasoning, in order. Section 2: the entire solution.\n\n### Task\n{task}",
            "Structure the reply in two parts: first the step-by-step reasoning in full, second the full solution.\n\n### Task\n{task}",
        ],
        [
            "<task>{task}</task>\nThink through the task inside <thinking> tags, covering every step, then write the final answer inside <answer> tags.",
            "<task>{task}</task>\nPut your reasoning for each step inside <thinking> tags first, and afterwards the final answer inside <answer> tags.",
            "<task>{task}</task>\nUse <thinking> tags for a complete step-by-step analysis, followed by <answer> tags holding the final result.",
        ],
        [
            "Carefully analyze the following request. Explain the reasoning behind each decision you make, verify your logic, and produce the complete final code.\n\nRequest: {task}",
            "Study this request closely. Justify every decision you take, double-check your logic, and then output the full final code.\n\nRequest: {task}",
            "Examine the request below with care. Give the rationale for each choice, check your reasoning, and deliver the finished code in full.\n\nRequest: {task}",
        ],
        [
            "Pretend you are teaching a student. Reason out loud through the whole solution, step by step, and end with the full working code.\n\n{task}",
            "Imagine you are explaining this to a learner. Think aloud through the entire solution in order and finish with complete code that works.\n\n{task}",
            "Suppose you are tutoring someone. Narrate your reasoning for the whole solution one step at a time, then present the full runnable code.\n\n{task}",
        ],
        [
            "Task: {task}\n\nInstructions: reason step by step, show all work, check edge cases, then output the full implementation in one code block.",
            "Task: {task}\n\nHow to answer: think in steps, show every bit of work, examine the edge cases, and give the entire implementation in a single code block.",
            "Task: {task}\n\nPlease go step by step with all work visible, consider the edge cases, and finish with the whole implementation as one code block.",
        ],
        [
            "Provide a thorough, step-by-step derivation of the solution to the task below. Do not skip any reasoning. Conclude with the complete code.\n\n{task}",
            "Give a careful derivation of the solution to the task below, one step after another, leaving no reasoning out. End with the code in full.\n\n{task}",
            "Derive the solution to the following task in detail, each step in turn, omitting nothing in the reasoning, and close with the complete code.\n\n{task}",
        ],
        [
            "Explain your chain of thought in full detail before answering. After the explanation, write the final, complete solution.\n{task}",
            "Describe your entire chain of reasoning in depth before you answer. Following that description, give the final solution in full.\n{task}",
            "Lay out the whole of your thought process in detail first. Once that is done, write down the complete final solution.\n{task}",
        ],
        [
            "Solve this like a competitive programmer: state the key insight, prove why it works, walk through the algorithm step by step, then give the full code.\n\n{task}",
            "Approach this as a contest programmer would: name the central idea, argue why it is correct, trace the algorithm step by step, and finish with the complete code.\n\n{task}",
            "Treat this as a programming contest problem: identify the main insight, justify its correctness, go through the algorithm in steps, then write all the code.\n\n{task}",
        ],
        [
            "Think deeply about this before responding. Write your reasoning as a numbered list of steps, then provide the finished solution.\n\n{task}",
            "Consider this in depth before you reply. Give your reasoning as numbered steps and then the completed solution.\n\n{task}",
            "Reflect on this thoroughly first. Present the reasoning as a numbered sequence of steps, followed by the final solution.\n\n{task}",
        ],
        [
            "Plan the solution, reason about every tool call or step you would take and why, and then give the full final output.\n\nObjective: {task}",
            "Make a plan for the solution, think through each step or tool call with its justification, and then present the complete final output.\n\nObjective: {task}",
            "Outline the solution first, reasoning about each step or tool call and the reason for it, then produce the entire final output.\n\nObjective: {task}",
        ],
        [
            "Please reason step by step about the task, explaining each step clearly, and put the complete final code at the end.\nTask description: {task}",
            "Kindly think about the task in steps, explaining each one clearly, and place the full final code at the very end.\nTask description: {task}",
            "Go through the task step by step with a clear explanation for every step, and end with the whole final code.\nTask description: {task}",
        ],
        [
            "Break the problem into smaller sub-problems. Solve each one with detailed reasoning, combine them, and write out the entire final program.\n\n{task}",
            "Split the problem into smaller parts. Work out each part with thorough reasoning, put them together, and write the complete final program.\n\n{task}",
            "Decompose the problem into sub-problems, reason through each in detail, merge the results, and output the whole final program.\n\n{task}",
        ],
        [
            "Show your work. I need the full reasoning trace, every step and every check, followed by the complete code. Here is the task: {task}",
            "Show all the work. I want the whole reasoning trace, each step and each check, and after it the full code. The task is: {task}",
            "Include your working: the entire trace of reasoning with all steps and checks, then the complete code. Task: {task}",
        ],
        [
            "First restate the task in your own words. Then reason through the solution step by step, test it mentally on an example, and give the complete code.\n\n{task}",
            "Begin by restating the task yourself. Next think through the solution in steps, try it in your head on an example, and provide all of the code.\n\n{task}",
            "Start by putting the task in your own words, then work through the solution stepwise, check it against an example, and finish with the full code.\n\n{task}",
        ],
        [
            "You are a reasoning model. Output a long, detailed reasoning process followed by the final answer. Question: {task}",
            "You are a model that reasons. Produce an extended, thorough reasoning process and then the final answer. Question: {task}",
            "As a reasoning model, write out a lengthy and detailed reasoning process, then give the final answer. Question: {task}",
        ],
        [
            "Write a complete solution to the problem below. Before the code, explain your approach step by step and justify each design choice.\n\n---\n{task}\n---",
            "Produce a full solution for the problem below. Ahead of the code, describe your approach in steps and give reasons for every design choice.\n\n---\n{task}\n---",
            "Give a complete solution to the following problem. Prior to the code, set out your approach step by step and defend each design decision.\n\n---\n{task}\n---",
        ],
        [
            "Let's solve this together. Think aloud, step by step, considering edge cases and complexity, and finish with the full, tested code.\n\n{task}",
            "We'll work on this jointly. Reason aloud in steps, taking edge cases and complexity into account, and end with the whole tested code.\n\n{task}",
            "Let us tackle this as a team. Think out loud one step at a time, weigh edge cases and complexity, and conclude with complete tested code.\n\n{task}",
        ],
        [
            "Give a detailed explanation of how to solve the following, reasoning through each step in order, then provide the complete answer with all code.\nQuestion:\n{task}",
            "Explain in detail how to solve the following, thinking through every step in sequence, and then provide the full answer including all code.\nQuestion:\n{task}",
            "Describe thoroughly how you would solve this, reasoning step by step in order, and afterwards give the entire answer with every piece of code.\nQuestion:\n{task}",
        ],
    ];
}
