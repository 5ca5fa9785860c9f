using LlmOps.Core.Platform;

namespace LlmOps.Core.Data.Augmentation;

/// <summary>
/// Easy Data Augmentation's two label-free operations (Wei and Zou, 2019, "EDA"): random swap of word pairs and random
/// deletion of words. Honest scope: these perturb surface form only. They add robustness for small classifiers and
/// reward/judge models trained on few examples (the paper reports gains below ~5k examples), but add no knowledge, and
/// for language-model pretraining they teach ungrammatical text, so the notebooks use them only for classifier data.
/// The synonym operations of EDA need WordNet and are left out. Copies carry <c>augmented_from</c> and the operation.
/// </summary>
public sealed class EdaAugmenter(EdaConfig? config = null)
{
    /// <summary>The settings in use.</summary>
    public EdaConfig Config { get; } = config ?? new EdaConfig();

    /// <summary>The augmented copies of <paramref name="document"/> (the original is not included). Copies alternate
    /// between swap and deletion; each copy's randomness derives from the seed and the document id.</summary>
    public IReadOnlyList<Document> Augment(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        string[] words = TextUnits.Words(document.Text);
        var copies = new List<Document>(Config.CopiesPerDocument);
        for (int copy = 0; copy < Config.CopiesPerDocument; copy++)
        {
            var random = new SeedScope(Config.Seed).Random($"eda:{document.Id}:{copy}");
            bool swap = copy % 2 == 0;
            string[] result = swap ? Swap(words, random) : Delete(words, random);
            var metadata = new Dictionary<string, string>(document.Metadata, StringComparer.Ordinal)
            {
                ["augmented_from"] = document.Id,
                ["augmentation"] = swap ? "eda:random-swap" : "eda:random-deletion",
            };
            copies.Add(new Document($"{document.Id}#eda{copy + 1}", string.Join(' ', result), document.Source, metadata));
        }
        return copies;
    }

    /// <summary>The documents followed, each, by their augmented copies.</summary>
    public IEnumerable<Document> AugmentAll(IEnumerable<Document> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var document in documents)
        {
            yield return document;
            foreach (var copy in Augment(document))
                yield return copy;
        }
    }

    string[] Swap(string[] words, Random random)
    {
        var result = (string[])words.Clone();
        int swaps = words.Length < 2 ? 0 : Math.Max(1, (int)(Config.SwapRate * words.Length));
        for (int i = 0; i < swaps; i++)
        {
            int a = random.Next(result.Length), b = random.Next(result.Length);
            (result[a], result[b]) = (result[b], result[a]);
        }
        return result;
    }

    string[] Delete(string[] words, Random random)
    {
        if (words.Length <= 1)
            return words;
        var kept = words.Where(_ => random.NextDouble() >= Config.DeleteProbability).ToArray();
        // EDA keeps one random word rather than return an empty text.
        return kept.Length > 0 ? kept : [words[random.Next(words.Length)]];
    }
}
