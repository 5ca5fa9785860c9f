using LlmOps.Core.Data;
using LlmOps.Core.Data.Augmentation;
using LlmOps.Core.Data.Mixing;

namespace LlmOps.Core.Tests.Data.Mixing;

public class MixingTests
{
    static List<Document> Corpus(string source, int count, int length = 100) =>
        [.. Enumerable.Range(0, count).Select(i => new Document($"{source}-{i}", $"{source} document number {i} " + new string('x', length), source))];

    [Fact]
    public void A_hash_split_is_independent_of_order_keeps_duplicates_together_and_matches_the_ratios()
    {
        var corpus = Corpus("web", 4000);
        corpus.Add(new Document("copy", corpus[17].Text.ToUpperInvariant() + "  ", "web")); // same normal form as web-17
        var ratios = new SplitRatios(0.8, 0.1, 0.1);

        var split = HashSplitter.Split(corpus, ratios);
        var reversed = HashSplitter.Split(Enumerable.Reverse(corpus), ratios);

        Assert.Equal(corpus.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        Assert.Equal(split.Test.Select(d => d.Id).Order(), reversed.Test.Select(d => d.Id).Order());
        Assert.Equal(HashSplitter.Assign(corpus[17], ratios), HashSplitter.Assign(corpus[^1], ratios));
        Assert.InRange(split.Train.Count / (double)corpus.Count, 0.77, 0.83);
        Assert.InRange(split.Validation.Count / (double)corpus.Count, 0.08, 0.12);
        Assert.NotEqual(split.Test.Select(d => d.Id), HashSplitter.Split(corpus, ratios, salt: "other").Test.Select(d => d.Id));
    }

    [Fact]
    public void Split_shares_that_do_not_add_up_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => HashSplitter.Split([], new SplitRatios(0.9, 0.2, 0)));
        Assert.Contains("add up to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sampling_is_deterministic_per_seed_and_the_sizes_are_right()
    {
        var corpus = Corpus("web", 2000);

        var tenth = Sampler.Fraction(corpus, 0.1, seed: 7).ToList();
        var again = Sampler.Fraction(Enumerable.Reverse(corpus), 0.1, seed: 7).Select(d => d.Id).Order().ToList();
        var taken = Sampler.Take(corpus, 50, seed: 7);

        Assert.InRange(tenth.Count, 160, 240);
        Assert.Equal(tenth.Select(d => d.Id).Order(), again);
        Assert.NotEqual(tenth.Select(d => d.Id), Sampler.Fraction(corpus, 0.1, seed: 8).Select(d => d.Id));
        Assert.Equal(50, taken.Count);
        Assert.Equal(taken.Select(d => d.Id), Sampler.Take(corpus, 50, seed: 7).Select(d => d.Id));
        Assert.Equal(taken.OrderBy(d => corpus.IndexOf(d)).Select(d => d.Id), taken.Select(d => d.Id)); // input order
        Assert.Equal(5, Sampler.Take(corpus.Take(5), 50, seed: 7).Count);
    }

    [Fact]
    public void A_mix_gives_each_source_its_share_of_characters_and_repeats_a_small_source()
    {
        var documents = Corpus("web", 300).Concat(Corpus("code", 20)).ToList();
        long webChars = documents.Where(d => d.Source == "web").Sum(d => (long)d.Text.Length);

        var mix = DataMixer.Mix(documents, new Dictionary<string, double> { ["web"] = 3, ["code"] = 1 }, totalCharacters: webChars, seed: 1);

        var code = mix.Components.Single(c => c.Source == "code");
        var web = mix.Components.Single(c => c.Source == "web");
        Assert.Equal(0.25, code.Weight, 3);
        Assert.InRange(code.TakenCharacters / (double)(code.TakenCharacters + web.TakenCharacters), 0.24, 0.26);
        Assert.True(code.Epochs > 2, $"code should be repeated, epochs {code.Epochs}");
        Assert.InRange(web.Epochs, 0.7, 0.8);
        Assert.Equal(mix.Documents.Count, code.Documents + web.Documents);
        Assert.Equal(mix.Documents.Select(d => d.Id), DataMixer.Mix(documents, new Dictionary<string, double> { ["web"] = 3, ["code"] = 1 }, webChars, seed: 1).Documents.Select(d => d.Id));
    }

    [Fact]
    public void A_mix_names_a_source_that_has_no_documents()
    {
        var error = Assert.Throws<ArgumentException>(() => DataMixer.Mix(Corpus("web", 3), new Dictionary<string, double> { ["books"] = 1 }));
        Assert.Contains("books", error.Message, StringComparison.Ordinal);
        Assert.Contains("web", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eda_copies_keep_the_words_perturb_their_order_or_drop_some_and_are_seeded()
    {
        var document = new Document("d1", "the quick brown fox jumps over the lazy dog again and again today", "s");
        var augmenter = new EdaAugmenter(new EdaConfig(CopiesPerDocument: 2, SwapRate: 0.2, DeleteProbability: 0.3, Seed: 3));

        var copies = augmenter.Augment(document);

        var words = TextUnits.Words(document.Text).Order().ToList();
        Assert.Equal(words, TextUnits.Words(copies[0].Text).Order());   // a swap keeps every word
        Assert.NotEqual(document.Text, copies[0].Text);
        Assert.True(TextUnits.Words(copies[1].Text).Length < words.Count); // a deletion drops some
        Assert.All(TextUnits.Words(copies[1].Text), w => Assert.Contains(w, words));
        Assert.Equal(("d1", "eda:random-swap"), (copies[0].Metadata["augmented_from"], copies[0].Metadata["augmentation"]));
        Assert.Equal(copies.Select(c => c.Text), augmenter.Augment(document).Select(c => c.Text));
        Assert.Equal(3, augmenter.AugmentAll([document]).Count());
    }
}
