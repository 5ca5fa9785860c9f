using LlmOps.Core.Display;
using LlmOps.Core.Tokenization;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Tokenization;

public class BpeTrainerTests
{

    [Fact]
    public void The_most_frequent_pair_merges_first_and_ties_go_to_the_smallest_ids()
    {
        // "aaabdaaabac": aa occurs 4 times (overlapping), then ab and (aa)a tie at 2 and ab has the smaller ids.
        var result = new BpeTrainer(new BpeTrainerConfig(VocabSize: 1000, MinFrequency: 2)).Train(["aaabdaaabac"]);

        Assert.Equal(
            [new BpeMerge('a', 'a', 256, 4), new BpeMerge('a', 'b', 257, 2), new BpeMerge(256, 257, 258, 2)],
            result.Merges);
        Assert.Equal("aaab"u8.ToArray(), result.Model.Ranks[258]);
        // No pair is left twice, so training stops short of the target; the special token follows the ranks.
        Assert.Equal(259, result.Model.Ranks.Count);
        Assert.Equal([new VocabularyToken("<|endoftext|>", 259)], result.Model.SpecialTokens);
        Assert.Equal(260, result.Model.VocabSize);
    }

    [Fact]
    public void Merges_never_cross_chunks_and_special_token_text_is_not_counted()
    {
        // " the" is one chunk (space + letters), "the." is two chunks; the special text is cut out before counting.
        var result = new BpeTrainer(new BpeTrainerConfig(VocabSize: 262, MinFrequency: 1))
            .Train(["the.<|endoftext|>the.<|endoftext|> the the"]);
        var tokens = result.Model.Ranks.Skip(256).Select(b => System.Text.Encoding.UTF8.GetString(b)).ToList();

        Assert.Equal(["he", "the", " the"], tokens.Take(3)); // th and he tie at 4: he has the smaller ids
        Assert.DoesNotContain(tokens, t => t.Contains('.', StringComparison.Ordinal) && t.Length > 1 && char.IsLetter(t[0]));
        Assert.DoesNotContain(tokens, t => t.Contains('|', StringComparison.Ordinal) || t.Contains('<', StringComparison.Ordinal));
    }

    [Fact]
    public void The_vocabulary_has_exactly_the_requested_size()
    {
        var model = TokenizationSamples.Small.Model;

        Assert.Equal(600, model.VocabSize);
        Assert.Equal(599, model.Ranks.Count);
        Assert.Equal(599, model.SpecialTokens.Single().Id);
        Assert.Equal(Enumerable.Range(0, 256).Select(b => new[] { (byte)b }), model.Ranks.Take(256));
        Assert.Equal(model.Ranks.Count, model.Ranks.Select(Convert.ToBase64String).Distinct().Count());
    }

    [Fact]
    public void Training_is_deterministic_whatever_the_document_order_and_thread_schedule()
    {
        var corpus = TokenizationSamples.Corpus(400);
        var shuffled = new LlmOps.Core.Platform.SeedScope(3).Shuffle(corpus);
        var config = new BpeTrainerConfig(VocabSize: 600, Name: "small");

        var again = new BpeTrainer(config).Train(shuffled);

        Assert.Equal(TokenizationSamples.Small.Model.Ranks, again.Model.Ranks);
        Assert.Equal(TokenizationSamples.Small.Merges, again.Merges);
    }

    [Fact]
    public void Progress_is_shown_through_the_display_hook_and_ends_done()
    {
        var sink = new RecordingSink();
        using (DisplayHook.Use(sink))
            new BpeTrainer(new BpeTrainerConfig(VocabSize: 300)).Train(TokenizationSamples.Corpus(50));

        var last = Assert.IsType<BpeTrainingProgress>(sink.Values[^1]);
        Assert.Equal("done", last.Phase);
        Assert.Equal(300 - 256 - 1, last.MergesTotal);
        Assert.Equal(last.MergesTotal, last.MergesDone);
        Assert.True(last.Megabytes > 0);
    }

    [Fact]
    public void A_cancelled_run_throws_and_a_bad_config_fails_before_reading()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var trainer = new BpeTrainer(new BpeTrainerConfig(VocabSize: 300));

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(TokenizationSamples.Corpus(50), cancelled.Token));
        Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerConfig(VocabSize: 200)));
        Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerConfig(SpecialTokens: ["<a>", "<a>"])));
        Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerConfig(Pattern: "(")));
    }
}
