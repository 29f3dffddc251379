namespace DistillDetect.Cli.Simulation;

/// <summary>
/// Fixed prompts for two hard negatives (text written for this project): role-play prompts that
/// thousands of unrelated people paste verbatim, and one company's batch template for its service keys.
/// </summary>
internal static class PopularPrompts
{
    /// <summary>Viral "act as" prompts; each pasting user picks one and sends it unchanged.</summary>
    public static readonly string[] Pasted =
    [
        "I want you to behave like a Linux terminal. I will type commands and you will answer only with what the terminal would print, inside one code block, and nothing else. Do not explain anything. Do not type commands unless I tell you to. When I need to tell you something in plain English, I will put it in curly brackets. My first command is pwd",
        "I want you to be my English translator, spelling corrector and style improver. I will write to you in any language; you will detect the language, translate it and reply with a corrected, more elegant version of my text in English. Keep the meaning the same but make it sound more literary. Reply only with the improved text and no explanations.",
        "I want you to act as a travel guide. I will tell you where I am and you will suggest a place to visit near my location. If I say what kind of place I like, you will also suggest similar places close to the first one. My first request is: I am in the city centre and I want to visit only museums.",
    ];

    /// <summary>The service-key company's batch template; <c>{ticket}</c> is replaced by a support ticket.</summary>
    public const string BatchTemplate = "Summarize the following support ticket in 3 bullet points. Then label its urgency as low, medium or high and its category as billing, shipping, product or account.\n\n{ticket}";
}
