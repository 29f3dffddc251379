namespace DistillDetect.Cli.Simulation;

internal static partial class BuiltInGrammar
{
    private static IEnumerable<KeyValuePair<string, string[]>> EverydayRules()
    {
        // Human coding questions: the ordinary users' and heavy coders' way of asking, unlike the campaigns' spec-like tasks.
        yield return R("framework", "React", "Django", "Spring Boot", "ASP.NET Core", "Rails", "Flask", "FastAPI", "Express", "Vue",
            "Svelte", "Next.js", "Laravel", "Angular", "pandas", "NumPy", "PyTorch", "Kubernetes", "Docker Compose", "Terraform",
            "Entity Framework", "SQLAlchemy", "Tokio", "Gin", "Phoenix", "Unity", "Godot", "Flutter", "SwiftUI", "Jetpack Compose");
        yield return R("howto", "read a big {format} file without running out of memory", "mock the current time in tests",
            "cancel a running background task cleanly", "share state between two components", "retry a failed request only on timeouts",
            "sort a list of objects by two fields", "paginate a query", "upload a file with a progress bar", "debounce a search box",
            "hash passwords properly", "run database migrations on deploy", "profile a slow endpoint", "set up logging with request ids",
            "parse dates in several formats", "deploy a container with environment-specific config", "write a custom iterator",
            "avoid N+1 queries", "stream a response to the client", "validate a form before submitting", "handle timezones for users abroad",
            "compare two floating-point numbers safely", "structure a project with several packages", "cache expensive calls for {#1-60} minutes",
            "limit memory use of a worker", "read environment variables with defaults", "speed up a slow test suite");
        yield return R("error_msg", "TypeError: cannot read properties of undefined (reading '{ident}')", "NullPointerException at {Pascal}.java:{#10-400}",
            "error[E0502]: cannot borrow `{snake}` as mutable because it is also borrowed as immutable", "KeyError: '{snake}'",
            "System.InvalidOperationException: Sequence contains no elements", "panic: runtime error: index out of range [{#1-9}] with length {#0-9}",
            "ModuleNotFoundError: No module named '{snake}'", "ECONNREFUSED 127.0.0.1:{#3000-9999}", "segmentation fault (core dumped)",
            "deadlock detected", "CORS policy: No 'Access-Control-Allow-Origin' header is present", "OOMKilled", "SSL: CERTIFICATE_VERIFY_FAILED",
            "IndentationError: unexpected indent", "fatal: refusing to merge unrelated histories", "Cannot find symbol {ident}");
        yield return R("coding_context", "It works on my laptop but not in CI.", "It started after I upgraded {framework}.",
            "It only happens for some users.", "I'm on {os}.", "The same code worked last {weekday}.", "I've been stuck on this for {#2-9} hours.",
            "This is for a school project.", "We deploy on {#2-40} servers.", "It happens about once every {#10-500} requests.");
        yield return R("os", "Windows 11", "macOS", "Ubuntu 24.04", "Debian", "Fedora", "WSL", "an M2 Mac", "Arch Linux");
        yield return R("concept", "async and threads", "interfaces and abstract classes", "processes and threads", "a mutex and a semaphore",
            "value and reference types", "composition and inheritance", "REST and GraphQL", "SQL and NoSQL databases", "unit and integration tests",
            "promises and callbacks", "generics and templates", "stack and heap memory", "TCP and UDP", "authentication and authorization",
            "optimistic and pessimistic locking", "map and flatMap", "a list and a tuple", "git merge and git rebase", "cookies and local storage");
        yield return R("coding_core",
            "how do I {howto} in {lang}? [I tried {attempt} but it didn't work.|The docs for version {#2-9}.{#0-12} confuse me.|It's for {a company_kind} project.]",
            "How do I {howto} with {framework}? [?{coding_context}]",
            "I'm getting `{error_msg}` when I run my {framework} app. {coding_context} [?What should I check first?]",
            "Can you explain the difference between {concept}? [Examples in {lang} would help.|When would I pick one over the other in {a framework} app?|I keep mixing them up in interviews.|My {lang} course skipped this.|A reviewer flagged this in my pull request.]",
            "Please review my {lang} code and tell me what you'd change:\n\n{code_snippet}",
            "Why does this print the wrong thing?\n\n{code_snippet}\n\n[?{coding_context}]",
            "What's the cleanest way to {operation_short} in {lang}? My current version feels clunky.",
            "I need {a lang} {unit} that {operation}. [?Nothing fancy, it's for a side project.] [?{coding_context}]",
            "Is it a bad idea to {bad_idea} in {a framework} project? [My teammate {first} thinks so.|We're only {#2-12} developers.|The project is {#1-9} years old.|It's a prototype for now.]",
            "Write me a quick {lang} script to {script_goal}. [It runs on {os}.|I'll run it from cron.|Keep it dependency-free.|Add comments, I'm still learning.|It should print a summary at the end.]",
            "got this error: {error_msg}. {coding_context} any idea?",
            "Explain what this {lang} snippet does line by line:\n\n{code_snippet}",
            "I'm preparing for a coding interview at a {company_kind}. Can you give me a practice problem about {ds}s and then check my answer?",
            "{coding_context} My {framework} tests fail with `{error_msg}`. How do I debug this?");
        yield return R("attempt", "a for loop", "Stack Overflow's top answer", "using a regex", "the official docs example", "reinstalling everything",
            "adding a sleep", "a try/except around it", "copying the config from another project");
        yield return R("bad_idea", "put all the logic in one file", "store dates as strings", "catch every exception", "use global singletons",
            "skip writing tests for the UI", "commit the .env file", "use floats for money", "disable SSL verification in dev");
        yield return R("script_goal", "rename all photos in a folder by the date they were taken", "find duplicate files by content",
            "download my bank statements and total the spending by category", "convert a folder of {format} files to {format}",
            "ping {#2-20} servers and email me when one is down", "back up my notes folder every night", "count words in every chapter of my novel",
            "merge {#2-30} CSV files with the same columns", "resize images to {#400-2000} pixels wide", "extract all email addresses from a text file");
        yield return R("company_kind", "fintech startup", "large bank", "game studio", "hospital network", "logistics company", "university lab",
            "small agency", "e-commerce company", "non-profit", "car maker", "telecom operator", "public library");

        // Everyday requests across many domains, each with enough slots to stay distinct.
        yield return R("tone", "friendly", "formal", "polite but firm", "warm", "apologetic", "enthusiastic", "professional", "casual");
        yield return R("recipient", "my landlord", "my manager", "a client", "my neighbour {first}", "the school principal", "my team",
            "a recruiter", "my professor", "the hotel in {city}", "an old friend", "customer support of my internet provider", "my bank");
        yield return R("email_purpose", "asking to fix the heating that has been broken for {#2-20} days", "asking for a raise after {#1-6} years",
            "declining a meeting on {weekday}", "following up on invoice {#100-9999}", "asking for an extension on my {doc_topic} essay",
            "saying my child will miss school on {weekday}", "requesting a refund for a cancelled booking", "thanking them for the recommendation",
            "proposing a new schedule for the {idw} project", "complaining about a noisy party last {weekday}", "reconnecting after {#2-15} years");
        yield return R("doc_topic", "history", "biology", "economics", "philosophy", "climate", "literature", "statistics", "art history");
        yield return R("travel_pref", "We love food and hate crowds.", "We're on a tight budget.", "I use a wheelchair.", "We travel with a toddler.",
            "I'd like at least one day of hiking.", "We don't drive.", "I'm vegetarian.", "We like museums and old architecture.",
            "It's our honeymoon.", "I want to see {#2-5} places, not just one city.");
        yield return R("companions", "my partner", "two kids aged {#3-14} and {#3-14}", "three friends", "my parents", "nobody, I'm solo",
            "a group of {#5-12} colleagues", "my dog");
        yield return R("dish", "a lasagna", "a lentil curry", "a chocolate cake", "fish tacos", "a mushroom risotto", "banana bread",
            "a Thai green curry", "shakshuka", "a Sunday roast", "homemade pasta", "ramen broth", "a vegan chili", "pancakes", "a quiche",
            "falafel", "a paella", "dumplings", "a lemon tart", "gazpacho", "a stir fry");
        yield return R("diet_constraint", "is gluten-free", "has no dairy", "is low in salt", "works for {#6-20} people", "can be made ahead",
            "uses a slow cooker", "is kid-friendly", "is high in protein", "has under {#300-700} calories per serving", "needs no oven");
        yield return R("ingredient", "chickpeas", "spinach", "half a pumpkin", "leftover rice", "eggs", "feta", "tinned tomatoes", "ginger",
            "sweet potatoes", "tofu", "chicken thighs", "frozen peas", "a lemon", "oat milk", "mozzarella", "black beans", "salmon", "leeks");
        yield return R("fitness_goal", "running my first {#5-42} km race", "getting stronger without a gym", "losing {#2-15} kg safely",
            "improving posture at my desk job", "staying fit while travelling", "building up to {#5-30} pull-ups", "better sleep");
        yield return R("limitation", "have a bad knee", "only have {#15-45} minutes a day", "work night shifts", "am over {#50-75}",
            "just recovered from the flu", "have asthma", "hate running");
        yield return R("topic", "how vaccines train the immune system", "inflation", "black holes", "how mortgages work", "the stock market",
            "blockchain", "photosynthesis", "how airplanes stay up", "quantum computing", "the French Revolution", "compound interest",
            "how the internet routes a message", "climate change feedback loops", "supply and demand", "DNA replication", "plate tectonics",
            "how elections are counted", "why the sky is blue", "machine learning", "how credit scores work");
        yield return R("audience", "five", "a teenager", "a busy executive", "my grandmother", "a first-year student", "someone who hates maths");
        yield return R("debate", "a four-day work week", "remote work", "nuclear power", "school uniforms", "a sugar tax",
            "banning phones in classrooms", "universal basic income", "congestion charges in city centres", "homework for young children", "self-driving taxis", "tipping culture", "daylight saving time", "a meat tax", "open-plan offices",
            "year-round schooling", "free public transport", "a ban on private jets");
        yield return R("doc_type", "business plan", "one-page pitch", "job ad", "privacy policy outline", "pricing page", "newsletter",
            "grant application summary", "product description", "onboarding checklist", "press release");
        yield return R("business", "a bakery in {city}", "my dog-walking service", "a bike repair shop", "an online tutoring company",
            "a small coffee roaster", "a yoga studio", "my handmade jewellery shop", "a mobile car wash", "a language school");
        yield return R("short_sentence", "Where is the nearest train station?", "Can we pay by card?", "We arrive on {weekday} at {#1-11} pm.", "Is breakfast included?", "Please call a taxi for {#1-11} o'clock.", "I lost my {gadget}.", "I would like to book a table for {#2-8} people.",
            "My luggage did not arrive.", "Could you speak a little more slowly?", "Thank you for your hospitality.",
            "The meeting is moved to {weekday}.", "How much does the ticket cost?", "I am allergic to nuts.");
        yield return R("language", "Spanish", "French", "German", "Japanese", "Portuguese", "Italian", "Korean", "Dutch", "Turkish", "Polish");
        yield return R("pet", "cat", "dog", "rabbit", "parrot", "hamster", "puppy", "old dog");
        yield return R("pet_symptom", "sneezing a lot", "not eating much", "scratching his ears", "limping", "drinking more water than usual",
            "sleeping all day", "hiding under the bed");
        yield return R("product", "the iPad Air", "a Kindle", "the Pixel 9", "a robot vacuum", "an air fryer", "a standing desk",
            "noise-cancelling headphones", "an e-bike", "a mirrorless camera", "a heat pump", "a mesh Wi-Fi system", "a used Toyota Corolla");
        yield return R("use_case", "a student on a budget", "working from home", "a family of {#3-6}", "long flights", "a small flat",
            "beginner photography", "commuting {#5-40} km a day");
        yield return R("job", "data analyst", "nurse", "marketing manager", "junior developer", "teacher", "project manager",
            "graphic designer", "accountant", "barista", "product owner", "lab technician", "sales representative");
        yield return R("history_event", "the fall of the Berlin Wall", "the Apollo 11 landing", "the Meiji Restoration", "the Black Death",
            "the printing press revolution", "the Cuban Missile Crisis", "the building of the Panama Canal", "the Silk Road trade",
            "the Great Depression", "the partition of India", "the Chernobyl disaster", "the Reformation", "the Haitian Revolution",
            "the space race", "the 1918 flu pandemic", "the Norman conquest of England", "the abolition of slavery in Brazil");
        yield return R("math_problem", "A train leaves at {#1-11}:{#10-59} going {#40-120} km/h; another leaves {#1-3} hours later at {#60-160} km/h. When does it catch up?",
            "What is {#12-99} percent of {#100-9999}?", "Solve for x: {#2-9}x + {#1-50} = {#51-200}.",
            "If I invest {#1-50},000 at {#2-8} percent a year, how much do I have after {#3-30} years?",
            "A rectangle has a perimeter of {#20-200} cm and one side of {#3-40} cm. What is its area?",
            "What's the probability of rolling at least one six in {#2-8} throws of a die?",
            "I drive {#5-90} km a day and my car uses {#4-12} litres per 100 km. How much fuel do I use in {#2-12} weeks?",
            "Split a bill of {#40-900} dollars among {#3-12} people with a {#10-25} percent tip.",
            "Convert {#2-200} miles per hour to metres per second.",
            "A shop gives {#10-60} percent off and then another {#5-30} percent. What is the total discount?");
        yield return R("everyday_core",
            "Write {a tone} email to {recipient} {email_purpose}. [?Keep it under {#50-300} words.] [?Sign it as {first}.]",
            "I'm planning a {#2-21}-day trip to {city} in {month} with {companions}. {travel_pref} Can you suggest a day-by-day itinerary?",
            "Is {month} a good time to visit {city}? [?We'd also like to see {city}.] {travel_pref}",
            "Give me a recipe for {dish} that {diet_constraint}. I have {ingredient}, {ingredient} and {ingredient} at home[? and about {#20-90} minutes].",
            "What can I cook tonight with {ingredient}, {ingredient}, {ingredient} and {ingredient}? [?Something that {diet_constraint}.]",
            "Make me a training plan of {#2-12} weeks for {fitness_goal}. I {limitation}[? and I'm {#16-80}].",
            "Explain {topic} to me like I'm {audience}.[? Use an example about {example_domain}.][? Keep it under {#50-300} words.]",
            "I never understood {topic}, even after {tried_learning}. [Can you explain it with {a example_domain} analogy?|What is the one idea I'm missing?|Give me {#2-5} key points and a quiz question.]",
            "Summarize the main arguments for and against {debate}[? in {#3-10} bullet points]. [It's for {debate_use}.|Be balanced.|Cite the strongest evidence on each side.|I lean {lean}, so challenge me.]",
            "Help me write {a doc_type} for {business}. [?Our main customers are {customer_kind}.] [?We have {#2-40} employees.]",
            "Translate into {language}: \"{short_sentence}\" [And how do I pronounce it?|Formal please.|It's for my trip to {city} in {month}.|Is there a more casual way to say it?|I want to text it to {first}.]",
            "My {pet} has been {pet_symptom} for {#2-10} days. Should I be worried? [?He's {#1-15} years old.]",
            "Can you compare {product} and {product} for {use_case}?",
            "Help me with this: {math_problem} [Please show the steps.|Just the answer is fine.|My kid is in grade {#4-12}.|I got {#2-999} but the book disagrees.]",
            "What happened during {history_event}, and why does it still matter? [{history_angle}|I have a test on it next {weekday}.|Explain it for {audience}.|Keep it to {#3-12} sentences.]",
            "Give me a timeline of {history_event} with the {#3-12} most important dates[? and {history_angle}].",
            "I have a job interview for {a job} position at {a company_kind} on {weekday}. What questions should I expect and how should I prepare?",
            "Rewrite this to sound more {tone}: \"Hi {first}, the {idw} report will be late again because {excuse}.\"",
            "Write a short {poem_kind} about {poem_subject} for {occasion}.",
            "Give me {#3-15} name ideas for {business} that sound {name_vibe}.[? It will be in {city}.]",
            "How do I ask {recipient} about {awkward_topic} without making it weird? [We've known each other {#1-20} years.|It's been bothering me for {#2-10} weeks.|I'd rather do it by text.|I tried once and it went badly.]",
            "What should I look for when buying {product}? Budget is about {#100-3000} dollars[? and it's for {use_case}].",
            "Create a study plan of {#3-7} days to learn the basics of {skill}. I {limitation}[? and I'm {#12-80}].",
            "My {relative} turns {#5-90} next {weekday}. Suggest {#3-10} gift ideas under {#20-300} dollars[? for someone who {relative_trait}].",
            "Draft {a tone} message to {recipient} explaining that {excuse}.",
            "Is it normal to {health_worry}? I'm {#18-80}[? and {lifestyle}]. [?It's been {#2-30} days.] [?When should I see a doctor?]",
            "What are the pros and cons of {life_choice}? I'm {#22-67}[? and {situation}].[? Money is {money_state}.]",
            "Plan a {#1-3}-hour {event_kind} for {#4-40} people on a budget of {#50-2000} dollars.",
            "How do I keep my {plant} alive? It gets {light_level} light[? and I water it every {#2-14} days]. [?The leaves are turning {leaf_color}.]",
            "Tell me a story for a {#3-10}-year-old named {first} about {poem_subject} that teaches {lesson}.[? About {#200-900} words.]");
        yield return R("excuse", "the supplier missed the deadline", "I was ill last week", "the data came in late", "our team is short-staffed",
            "the budget was not approved", "my flight was cancelled", "the figures did not add up");
        yield return R("poem_kind", "poem", "limerick", "haiku", "toast", "song verse", "sonnet");
        yield return R("poem_subject", "a lighthouse keeper", "autumn in {city}", "a brave {pet}", "the first day of school", "a lost {word}",
            "friendship", "rain on a {weekday} morning", "a dragon who is afraid of the dark", "my grandmother's garden");
        yield return R("relative", "mum", "dad", "sister", "brother", "grandfather", "best friend", "partner", "aunt", "colleague");
        yield return R("relative_trait", "loves gardening", "is into board games", "just moved house", "likes hiking", "cooks a lot", "has everything already");
        yield return R("awkward_topic", "paying back the money I lent", "the noise at night", "splitting the bill fairly", "a late rent payment",
            "working from home more often", "their dog in the shared garden");
        yield return R("skill", "statistics", "photography", "Spanish", "investing", "watercolour painting", "public speaking", "chess",
            "accounting", "guitar", "3D printing", "sign language", "first aid");
        yield return R("health_worry", "feel tired after {#6-10} hours of sleep", "get headaches after screen work", "have a racing heart after coffee",
            "feel dizzy when standing up", "have sore legs after a short walk", "wake up at {#2-5} am every night");
        yield return R("life_choice", "renting versus buying a flat in {city}", "doing a master's degree at {#25-45}", "freelancing full time",
            "moving to {city} for work", "getting a second cat", "leasing an electric car", "switching careers to {job}");
        yield return R("event_kind", "birthday party", "team lunch", "book club meeting", "retirement party", "board game night", "picnic", "workshop");
        yield return R("plant", "monstera", "fiddle-leaf fig", "basil", "orchid", "snake plant", "tomato plant", "lemon tree", "succulent");
        yield return R("light_level", "very little", "direct afternoon", "bright indirect", "only artificial");
        yield return R("leaf_color", "yellow", "brown at the tips", "pale", "black");
        yield return R("lesson", "sharing", "being honest", "trying again", "kindness to animals", "listening");
        yield return R("history_angle", "what ordinary people experienced", "how it changed trade", "what historians still disagree about",
            "which myths about it are wrong", "how it shaped the countries involved", "what we learned from it");
        yield return R("debate_use", "a school debate", "my essay", "a work presentation", "an argument with my {relative}", "a podcast episode");
        yield return R("lean", "in favour", "against", "slightly in favour", "strongly against");
        yield return R("example_domain", "football", "cooking", "traffic", "music", "shopping", "a video game", "gardening", "a bakery", "pets");
        yield return R("lifestyle", "work at a desk all day", "run {#2-6} times a week", "drink {#1-6} coffees a day", "sleep about {#5-8} hours",
            "just had a baby", "travel a lot for work", "recently stopped smoking");
        yield return R("situation", "have {#0-4} kids", "rent a flat in {city}", "earn about {#20-150} thousand a year", "just got promoted",
            "work as {a job}", "am recently divorced", "have a mortgage for {#10-30} more years", "live with my parents");
        yield return R("money_state", "tight", "not a problem", "okay but I want to save", "complicated right now");
        yield return R("lead_in", "Hi! ", "Quick question. ", "{first} here. ", "Hey! ", "Okay, here's my question. ", "I'm {#16-80} and curious: ", "My {relative} asked me this and I didn't know: ",
            "Random question. ", "Need your help: ", "Good morning. ", "Sorry if this is basic. ", "Asking for a friend: ", "Hello from {city}! ", "Can you help? ");
        yield return R("follow_up", "Thanks!", "Keep it short please.", "Answer in {#2-6} sentences.", "Use simple words.", "Bullet points are fine.",
            "I'm in {city} if that matters.", "Thanks in advance, {first}.", "Please be honest.", "No need for a long answer.",
            "I have about {#5-60} minutes.", "Explain your reasoning briefly.", "Give me {#2-5} options.", "Appreciate it!", "Ty!");
        yield return R("coding_lead", "Hey! ", "Quick one: ", "Sorry for the noob question. ", "Me again. ", "Work question: ",
            "Context: {lang} {#2-20}.x, {os}. ", "Not urgent. ", "Day {#2-14} of learning {lang}. ");
        yield return R("coding_follow", "Thanks!", "Short answer is fine.", "Please show code.", "No libraries please.", "I'm on a deadline, so quick is better.",
            "Explain like I'm new to {lang}.", "Bonus points for tests.", "Keep it under {#20-80} lines.");
        yield return R("everyday_request", "[~{lead_in}]{everyday_core}[? {follow_up}]");
        yield return R("coding_request", "[~{coding_lead}]{coding_core}[~ {coding_follow}]");
        yield return R("customer_kind", "students", "young families", "retirees", "small businesses", "tourists", "office workers nearby",
            "dog owners", "local restaurants", "busy parents", "freelancers");
        yield return R("name_vibe", "playful", "premium", "local and friendly", "modern", "old-fashioned", "eco-friendly", "short and punchy");
        yield return R("tried_learning", "reading the Wikipedia page", "a school course", "three YouTube videos", "my {relative} explained it",
            "a podcast about it", "taking notes for {#2-9} hours");
        yield return R("occasion", "my {relative}'s birthday", "a card", "a school assignment", "our anniversary", "a farewell party",
            "fun", "a wedding toast", "my class of {#6-30} kids", "a retirement card for {first}");
    }
}
