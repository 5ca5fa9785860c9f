using System.Globalization;
using System.Text.Json;
using LlmOps.Core.Datasets;

namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>
/// The facts instruction data is generated from, read from the catalog's fetched packages (never typed in): countries,
/// U.S. states, chemical elements and WordNet words. Any table may be empty; the generator then skips its tasks.
/// </summary>
/// <param name="Countries">Countries with a capital.</param>
/// <param name="States">U.S. states and capitals.</param>
/// <param name="Elements">Chemical elements.</param>
/// <param name="Words">Words with a definition.</param>
/// <param name="Sources">The package folders read, for the data manifest.</param>
public sealed record InstructionFacts(
    IReadOnlyList<CountryFact> Countries,
    IReadOnlyList<StateFact> States,
    IReadOnlyList<ElementFact> Elements,
    IReadOnlyList<WordFact> Words,
    IReadOnlyList<string> Sources)
{
    /// <summary>The catalog datasets the facts come from.</summary>
    public static IReadOnlyList<string> DatasetNames { get; } = ["countries", "us-states-capitals", "us-states-names", "periodic-table", "wordnet"];

    /// <summary>No facts: only the skill tasks can be generated (their words are then made up from letters).</summary>
    public static InstructionFacts None { get; } = new([], [], [], [], []);

    /// <summary>Fetches (or finds cached) the datasets in <see cref="DatasetNames"/> and reads them.</summary>
    /// <param name="fetcher">Where packages are cached; the default cache when null.</param>
    /// <param name="catalog">The dataset catalog; the project's when null.</param>
    /// <param name="cancellationToken">Stops the fetches.</param>
    public static async Task<InstructionFacts> FetchAsync(DatasetFetcher? fetcher = null, DatasetCatalog? catalog = null, CancellationToken cancellationToken = default)
    {
        fetcher ??= new DatasetFetcher(DatasetFetcher.DefaultCacheRoot());
        catalog ??= DatasetCatalog.Default();
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in DatasetNames)
            folders[name] = (await fetcher.FetchAsync(catalog.Find(name), cancellationToken).ConfigureAwait(false)).Folder;
        return Load(folders["countries"], folders["us-states-names"], folders["us-states-capitals"], folders["periodic-table"], folders["wordnet"]);
    }

    /// <summary>Reads the facts from fetched package folders (each holding <c>package/</c>); a null folder leaves its table empty.</summary>
    /// <exception cref="InvalidDataException">A file is missing or not in the shape its package documents; the message names it.</exception>
    public static InstructionFacts Load(string? countries, string? stateNames, string? stateCapitals, string? periodicTable, string? wordnet)
    {
        var sources = new[] { countries, stateNames, stateCapitals, periodicTable, wordnet }.OfType<string>().ToList();
        return new InstructionFacts(
            countries is null ? [] : ReadCountries(Path.Combine(countries, "package")),
            stateNames is null || stateCapitals is null ? [] : ReadStates(Path.Combine(stateNames, "package", "data", "data.json"), Path.Combine(stateCapitals, "package", "data", "data.json")),
            periodicTable is null ? [] : ReadElements(Path.Combine(periodicTable, "package", "data.json")),
            wordnet is null ? [] : ReadWords(Path.Combine(wordnet, "package", "dict")),
            sources);
    }

    static JsonElement Json(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: missing; fetch the dataset again (llmops datasets fetch).");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
    }

    static List<CountryFact> ReadCountries(string package)
    {
        var continents = Json(Path.Combine(package, "continents.min.json"));
        var currencies = Json(Path.Combine(package, "currencies.min.json"));
        var languages = Json(Path.Combine(package, "languages.min.json"));
        var facts = new List<CountryFact>();
        foreach (var country in Json(Path.Combine(package, "countries.min.json")).EnumerateObject())
        {
            var c = country.Value;
            string capital = Text(c, "capital");
            // Territories that are part of another country repeat their parent's facts under another name.
            if (capital.Length == 0 || c.TryGetProperty("partOf", out _))
                continue;
            string Named(JsonElement table, string? code) =>
                code is not null && table.TryGetProperty(code, out var entry) ? entry.ValueKind == JsonValueKind.String ? entry.GetString()! : Text(entry, "name") : "";
            string currency = c.TryGetProperty("currency", out var cur) && cur.GetArrayLength() > 0 ? Named(currencies, cur[0].GetString()) : "";
            var langs = c.TryGetProperty("languages", out var l) ? l.EnumerateArray().Select(x => Named(languages, x.GetString())).Where(x => x.Length > 0).ToList() : [];
            string phone = c.TryGetProperty("phone", out var p) && p.GetArrayLength() > 0 ? "+" + p[0].GetInt32().ToString(CultureInfo.InvariantCulture) : "";
            facts.Add(new CountryFact(Text(c, "name"), capital, currency, Named(continents, Text(c, "continent")), langs, phone));
        }
        return facts;
    }

    static List<StateFact> ReadStates(string namesPath, string capitalsPath)
    {
        var names = Json(namesPath).EnumerateArray().Select(x => x.GetString()!).ToList();
        var capitals = Json(capitalsPath).EnumerateArray().Select(x => x.GetString()!).ToList();
        if (names.Count != capitals.Count)
            throw new InvalidDataException($"{namesPath} lists {names.Count} states but {capitalsPath} {capitals.Count} capitals; both packages list them in state-name order and must agree.");
        return [.. names.Zip(capitals, (n, c) => new StateFact(n, c))];
    }

    static List<ElementFact> ReadElements(string path) =>
        [.. Json(path).EnumerateArray()
            .Select(e => new ElementFact(Text(e, "name"), Text(e, "symbol"), e.GetProperty("atomicNumber").GetInt32(), Text(e, "groupBlock")))
            .Where(e => e.Name.Length > 0 && e.Symbol.Length > 0)];

    /// <summary>The first synset of each single, lower-case word in WordNet's data files (nouns, verbs, adjectives,
    /// adverbs, in that order), with the gloss's definition: the text before its first example or second clause.</summary>
    static List<WordFact> ReadWords(string dict)
    {
        var words = new List<WordFact>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string part in new[] { "noun", "verb", "adj", "adv" })
        {
            string path = Path.Combine(dict, "data." + part);
            if (!File.Exists(path))
                throw new InvalidDataException($"{path}: missing; fetch the wordnet dataset again (llmops datasets fetch wordnet).");
            foreach (string line in File.ReadLines(path))
            {
                // The licence header's lines start with spaces; a synset line is "offset lex type count word ... | gloss".
                if (line.Length == 0 || line[0] == ' ')
                    continue;
                int bar = line.IndexOf('|', StringComparison.Ordinal);
                var fields = line.Split(' ', 6);
                if (bar < 0 || fields.Length < 5)
                    continue;
                string word = fields[4];
                string definition = line[(bar + 1)..].Split(';')[0].Trim();
                if (definition.Length == 0 || !word.All(char.IsAsciiLetterLower) || !seen.Add(word))
                    continue;
                words.Add(new WordFact(word, definition));
            }
        }
        return words;
    }

    static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : "";
}
