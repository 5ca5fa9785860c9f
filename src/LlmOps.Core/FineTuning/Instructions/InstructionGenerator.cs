using System.Globalization;
using System.Text.Json;
using LlmOps.Core.Platform;

namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>
/// Builds instruction sets from real facts (<see cref="InstructionFacts"/>) and from skills whose answers follow from
/// the input, with several phrasings per task and splits that measure generalisation rather than recall of eval items.
/// </summary>
/// <remarks>
/// <para>Skills (spell, reverse, count letters or words, compare, arithmetic, JSON field) are split by input: an input
/// in the test split never appears in training, in any phrasing, so a correct test answer means the model does the
/// skill. Facts cannot be split that way (a capital never trained on cannot be known), so facts are split by phrasing:
/// every fact is trained in some phrasings, and the test asks it in a phrasing held out from training for the whole task.</para>
/// <para>Every choice comes from <see cref="SeedScope"/> streams named by task, so the same seed gives the same records,
/// and adding a task leaves the others' records unchanged.</para>
/// </remarks>
public static class InstructionGenerator
{
    /// <summary>Every task the generator knows, skills first.</summary>
    public static IReadOnlyList<string> TaskNames { get; } =
    [
        "spell", "reverse", "count-letters", "count-words", "compare", "arithmetic", "json-field",
        "country-capital", "country-currency", "country-continent", "country-languages", "country-calling-code",
        "state-capital", "element-symbol", "element-number", "element-group", "word-definition",
    ];

    /// <summary>The skill tasks: they need no dataset.</summary>
    public static IReadOnlyList<string> SkillNames { get; } = ["spell", "reverse", "count-letters", "count-words", "compare", "arithmetic", "json-field"];

    /// <summary>Generates the set <paramref name="config"/> describes.</summary>
    /// <param name="facts">The facts (<see cref="InstructionFacts.None"/> for skills only).</param>
    /// <param name="config">What to make.</param>
    /// <exception cref="ArgumentException">The config is invalid, or names a fact task whose dataset is empty.</exception>
    public static InstructionSet Generate(InstructionFacts facts, InstructionGeneratorConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        config = (config ?? new InstructionGeneratorConfig()).Validate();
        var all = Tasks(facts);
        var chosen = config.Tasks is null
            ? all.Where(t => t.Kind == InstructionTaskKind.Skill || t.Facts!.Count > 0).ToList()
            : config.Tasks.Select(name => all.Single(t => t.Name == name)).ToList();
        if (chosen.FirstOrDefault(t => t.Kind == InstructionTaskKind.Fact && t.Facts!.Count == 0) is { } empty)
            throw new ArgumentException($"Task {empty.Name} needs facts its dataset did not provide; fetch the catalog datasets ({string.Join(", ", InstructionFacts.DatasetNames)}).");
        var seeds = new SeedScope(config.Seed);
        var entries = new List<InstructionEntry>();
        foreach (var task in chosen)
            entries.AddRange(task.Kind == InstructionTaskKind.Skill ? Skill(task, config, seeds) : Fact(task, config, seeds));
        return new InstructionSet(entries, config, facts.Sources);
    }

    static IEnumerable<InstructionEntry> Skill(InstructionTask task, InstructionGeneratorConfig config, SeedScope seeds)
    {
        var random = seeds.Random("instruct:" + task.Name);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int attempt = 0; seen.Count < config.ExamplesPerTask && attempt < config.ExamplesPerTask * 50; attempt++)
        {
            var (key, input, output, slot) = task.Draw!(random);
            int phrasing = random.Next(task.Phrasings.Count); // drawn for every item, so the stream does not depend on the split
            if (!seen.Add(key))
                continue;
            double u = Unit(config.Seed, task.Name + "\n" + key);
            var split = u < config.TestFraction ? InstructionSplit.Test
                : u < config.TestFraction + config.ValidationFraction ? InstructionSplit.Validation
                : InstructionSplit.Train;
            string instruction = slot is null ? task.Phrasings[phrasing] : string.Format(CultureInfo.InvariantCulture, task.Phrasings[phrasing], slot);
            yield return new InstructionEntry(new InstructionExample(instruction, input, output, task.Name, config.System), split, task.Kind, key, phrasing);
        }
    }

    static IEnumerable<InstructionEntry> Fact(InstructionTask task, InstructionGeneratorConfig config, SeedScope seeds)
    {
        var random = seeds.Random("instruct:" + task.Name);
        int count = task.Phrasings.Count;
        int heldOut = random.Next(count);
        var trainPhrasings = Enumerable.Range(0, count).Where(p => p != heldOut).ToArray();
        var facts = seeds.Shuffle(task.Facts!.DistinctBy(f => f.Subject, StringComparer.Ordinal), "instruct-order:" + task.Name).Take(config.ExamplesPerTask);
        foreach (var (subject, output) in facts)
        {
            int a = trainPhrasings[random.Next(trainPhrasings.Length)];
            int b = trainPhrasings[(Array.IndexOf(trainPhrasings, a) + 1 + random.Next(trainPhrasings.Length - 1)) % trainPhrasings.Length];
            InstructionEntry Entry(int phrasing, InstructionSplit split) => new(
                new InstructionExample(string.Format(CultureInfo.InvariantCulture, task.Phrasings[phrasing], subject), "", output, task.Name, config.System),
                split, task.Kind, subject, phrasing);
            yield return Entry(a, InstructionSplit.Train);
            if (Unit(config.Seed, "validation\n" + task.Name + "\n" + subject) < config.ValidationFraction)
                yield return Entry(b, InstructionSplit.Validation);
            if (Unit(config.Seed, "test\n" + task.Name + "\n" + subject) < config.TestFraction)
                yield return Entry(heldOut, InstructionSplit.Test);
        }
    }

    /// <summary>A stable number in [0, 1) for a key: which split an item falls in depends on it alone, not on the draw order.</summary>
    static double Unit(int seed, string key) => SeedScope.Derive(seed, key) / 2147483648.0; // Derive is in [0, 2^31)

    static List<InstructionTask> Tasks(InstructionFacts facts)
    {
        var words = facts.Words.Select(w => w.Word).Where(w => w.Length is >= 3 and <= 7).ToArray();
        string Word(Random r)
        {
            if (words.Length > 0)
                return words[r.Next(words.Length)];
            // Without WordNet, letters drawn at random: the skills only need the input to determine the answer.
            return string.Concat(Enumerable.Range(0, r.Next(3, 7)).Select(_ => (char)('a' + r.Next(26))));
        }
        string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
        return
        [
            new("spell", InstructionTaskKind.Skill,
                ["Spell out this word letter by letter.", "Write the letters of this word separated by spaces.", "Spell this word.", "List the letters of the word, in order."],
                Draw: r => { string w = Word(r); return (w, w, string.Join(' ', w.ToCharArray()), null); }),
            new("reverse", InstructionTaskKind.Skill,
                ["Reverse this word.", "Write this word backwards.", "Spell this word in reverse order.", "What is this word read from right to left?"],
                Draw: r => { string w = Word(r); return (w, w, new string([.. w.Reverse()]), null); }),
            new("count-letters", InstructionTaskKind.Skill,
                ["How many letters does this word have?", "Count the letters in this word.", "Give the number of letters in the word.", "What is the length of this word in letters?"],
                Draw: r => { string w = Word(r); return (w, w, Num(w.Length), null); }),
            new("count-words", InstructionTaskKind.Skill,
                ["How many words are in this text?", "Count the words.", "Give the number of words in this sentence.", "How many words does this line contain?"],
                Draw: r => { string s = string.Join(' ', Enumerable.Range(0, r.Next(2, 9)).Select(_ => Word(r))); return (s, s, Num(s.Split(' ').Length), null); }),
            new("compare", InstructionTaskKind.Skill,
                ["Which number is larger?", "Give the bigger of these two numbers.", "Which of the two numbers is greater?", "Return the maximum of these numbers."],
                Draw: r =>
                {
                    int a = r.Next(100), b = r.Next(100);
                    if (a == b)
                        b = (b + 1 + r.Next(99)) % 100;
                    string input = $"{Num(a)} and {Num(b)}";
                    return (input, input, Num(Math.Max(a, b)), null);
                }),
            new("arithmetic", InstructionTaskKind.Skill,
                ["Compute this.", "What is the result?", "Calculate the answer.", "Work out this expression."],
                Draw: r =>
                {
                    int a = r.Next(51), b = r.Next(51);
                    bool plus = r.Next(2) == 0;
                    if (!plus && b > a)
                        (a, b) = (b, a);
                    string input = $"{Num(a)} {(plus ? '+' : '-')} {Num(b)}";
                    return (input, input, Num(plus ? a + b : a - b), null);
                }),
            new("json-field", InstructionTaskKind.Skill,
                ["Return the value of the field \"{0}\" in this JSON.", "What is \"{0}\" in this JSON object?", "Extract the \"{0}\" field from the JSON.", "Give the value of \"{0}\" in this record."],
                Draw: r =>
                {
                    var record = new SortedDictionary<string, object>(StringComparer.Ordinal) { ["id"] = r.Next(1000), ["name"] = Word(r), ["size"] = r.Next(100) };
                    string field = record.Keys.ElementAt(r.Next(record.Count));
                    string json = JsonSerializer.Serialize(record);
                    return (json + "\n" + field, json, Convert.ToString(record[field], CultureInfo.InvariantCulture)!, field);
                }),
            new("country-capital", InstructionTaskKind.Fact,
                ["What is the capital of {0}?", "Name the capital city of {0}.", "Which city is the capital of {0}?", "{0}: what is its capital city?"],
                Facts: [.. facts.Countries.Select(c => (c.Name, c.Capital))]),
            new("country-currency", InstructionTaskKind.Fact,
                ["What currency is used in {0}?", "Name the currency of {0}.", "Which currency does {0} use?", "{0}: what is its official currency?"],
                Facts: [.. facts.Countries.Where(c => c.Currency.Length > 0).Select(c => (c.Name, c.Currency))]),
            new("country-continent", InstructionTaskKind.Fact,
                ["On which continent is {0}?", "Name the continent {0} is in.", "Which continent does {0} belong to?", "{0}: which continent is it on?"],
                Facts: [.. facts.Countries.Where(c => c.Continent.Length > 0).Select(c => (c.Name, c.Continent))]),
            new("country-languages", InstructionTaskKind.Fact,
                ["What languages are official in {0}?", "Name the official languages of {0}.", "Which languages does {0} list as official?", "{0}: what are its official languages?"],
                Facts: [.. facts.Countries.Where(c => c.Languages.Count > 0).Select(c => (c.Name, string.Join(", ", c.Languages)))]),
            new("country-calling-code", InstructionTaskKind.Fact,
                ["What is the calling code of {0}?", "Which international dialling code does {0} use?", "Give the telephone country code of {0}.", "{0}: what code do you dial to call it?"],
                Facts: [.. facts.Countries.Where(c => c.CallingCode.Length > 0).Select(c => (c.Name, c.CallingCode))]),
            new("state-capital", InstructionTaskKind.Fact,
                ["What is the capital of the U.S. state of {0}?", "Name the capital of {0}, the U.S. state.", "Which city is the state capital of {0}?", "{0} (U.S. state): what is its capital?"],
                Facts: [.. facts.States.Select(s => (s.Name, s.Capital))]),
            new("element-symbol", InstructionTaskKind.Fact,
                ["What is the chemical symbol of {0}?", "Give the symbol for the element {0}.", "Which symbol stands for {0}?", "{0}: what is its chemical symbol?"],
                Facts: [.. facts.Elements.Select(e => (e.Name, e.Symbol))]),
            new("element-number", InstructionTaskKind.Fact,
                ["What is the atomic number of {0}?", "Give the atomic number of the element {0}.", "How many protons does an atom of {0} have?", "{0}: what is its atomic number?"],
                Facts: [.. facts.Elements.Select(e => (e.Name, Num(e.Number)))]),
            new("element-group", InstructionTaskKind.Fact,
                ["Which group of elements does {0} belong to?", "Name the element group of {0}.", "What kind of element is {0}?", "{0}: which group block is it in?"],
                Facts: [.. facts.Elements.Where(e => e.Group.Length > 0).Select(e => (e.Name, e.Group))]),
            new("word-definition", InstructionTaskKind.Fact,
                ["Define the word \"{0}\".", "What does \"{0}\" mean?", "Give a definition of \"{0}\".", "\"{0}\": what is its meaning?"],
                Facts: [.. facts.Words.Select(w => (w.Word, w.Definition))]),
        ];
    }
}
