namespace DistillDetect.Cli.Simulation;

internal static partial class BuiltInGrammar
{
    private static IEnumerable<KeyValuePair<string, string[]>> BusinessRules()
    {
        // Support tickets for the service-key hard negative: one batch template over varied data.
        yield return R("plan_tier", "Free", "Starter", "Pro", "Business", "Enterprise");
        yield return R("channel", "email", "chat", "phone callback", "web form", "mobile app");
        yield return R("gadget", "smart thermostat", "wireless earbuds", "router", "fitness watch", "coffee machine", "e-reader",
            "security camera", "robot vacuum", "office chair", "blender", "laptop sleeve", "phone case", "desk lamp", "scooter");
        yield return R("ticket_issue", "my order {#100000-999999} arrived with a cracked screen", "I was charged {#2-3} times for the same subscription",
            "the {gadget} stopped connecting to Wi-Fi after the last update", "I never received the parcel although tracking says delivered",
            "I want to cancel my {plan_tier} plan but the button does nothing", "the app logs me out every few minutes",
            "the {gadget} makes a loud noise when it starts", "my discount code {idw}{#10-99} was not applied",
            "I need an invoice with my company's VAT number", "the replacement part you sent is the wrong size",
            "I cannot reset my password, the email never arrives", "the battery of my {gadget} lasts only {#1-5} hours",
            "your courier left the box in the rain", "I was promised a callback on {weekday} and nobody called");
        yield return R("ticket_detail", "I've had it for {#2-60} days.", "I already tried restarting it {#2-6} times.",
            "This is the {#2-4}th time I contact you about it.", "My account email is {idw}.{idw}@example.com.",
            "I'm travelling until {month} {#1-28}.", "Photos are attached.", "The serial number is {#10000-99999}-{#100-999}.",
            "I bought it at your {city} store.", "I'm really disappointed.", "Otherwise I love the product.",
            "Please advise as soon as possible.", "My neighbour has the same problem.", "I need this fixed before {weekday}.");
        yield return R("ticket_close", "Thanks, {first}", "Regards, {fullname}", "Best, {first} {last}", "{first}", "Cheers");
        yield return R("support_ticket",
            "Ticket #{#100000-999999} \\| Customer: {fullname} \\| Plan: {plan_tier} \\| Channel: {channel}\n\nHi, {ticket_issue}. {ticket_detail} {ticket_detail} [?{ticket_detail}] [?{ticket_close}]",
            "Ticket #{#100000-999999} \\| Customer: {fullname} \\| Plan: {plan_tier} \\| Channel: {channel}\n\nHello, {ticket_issue}. {ticket_detail} [?{ticket_detail}] {ticket_close}",
            "Ticket #{#100000-999999} \\| Customer: {fullname} \\| Plan: {plan_tier} \\| Channel: {channel}\n\n{^ticket_issue}! {ticket_detail} {ticket_detail} {ticket_detail}");
    }
}
