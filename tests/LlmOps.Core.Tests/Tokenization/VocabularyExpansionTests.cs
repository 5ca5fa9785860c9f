using LlmOps.Core.Tokenization;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Tokenization;

public class VocabularyExpansionTests
{
    [Fact]
    public void Domain_tokens_get_ids_after_every_existing_id_and_encode_whole()
    {
        var model = TokenizationSamples.Small.Model;
        var old = LlmTokenizer.FromModel(model);

        var result = VocabularyExpansion.AddTokens(model, ["LlmOps", "TorchSharp", "the"], newName: "small-domain");

        Assert.Equal(["LlmOps", " LlmOps", "TorchSharp", " TorchSharp"], result.Resize.NewTokens.Select(t => t.Text));
        Assert.Equal([600, 601, 602, 603], result.Resize.NewTokens.Select(t => t.Id));
        Assert.Equal((600, 604), (result.Resize.OldVocabSize, result.Resize.NewVocabSize));
        Assert.Equal(EmbeddingInitialization.MeanOfExistingRows, result.Resize.Initialization);
        Assert.Contains("from 600 to 604 rows", result.Resize.Note, StringComparison.Ordinal);
        Assert.Equal(old.Encode("LlmOps"), result.Resize.OldPieces[0]);
        Assert.Contains(result.Skipped, s => s.StartsWith("'the': already a token", StringComparison.Ordinal));

        string folder = Path.Combine(RepoPaths.NewTempFolder("llmops-expansion"), "small-domain");
        TokenizerFolder.Save(result.Model, folder);
        var grown = TokenizerFolder.Load(folder);
        const string text = "LlmOps trains on TorchSharp.\nTorchSharp, LlmOps!";
        int[] ids = grown.Encode(text);

        // Chunks: "LlmOps", " trains", " on", " TorchSharp", ".\n", "TorchSharp", ",", " LlmOps", "!".
        Assert.Equal([600, 603, 602, 601], ids.Where(id => id >= 600));
        Assert.Equal(new[] { " trains", " on", ".\n", ",", "!" }.Sum(chunk => old.Encode(chunk).Length) + 4, ids.Length);
        Assert.Equal(text, grown.Decode(ids));
        Assert.Equal(604, grown.VocabSize);
        Assert.Equal(599, grown.SpecialTokens["<|endoftext|>"]);
        // Existing ids keep their meaning: text without the new tokens encodes as before.
        Assert.Equal(old.Encode("the model learns"), grown.Encode("the model learns"));
    }

    [Fact]
    public void A_token_the_pattern_splits_is_rejected_and_can_be_added_as_a_special_token()
    {
        var model = TokenizationSamples.Small.Model;

        var error = Assert.Throws<ArgumentException>(() => VocabularyExpansion.AddTokens(model, ["LlmOps", "C#", "<|user|>"]));
        Assert.Contains("'C#' -> 'C' | '#'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'<|user|>' -> '<|' | 'user' | '|>'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'LlmOps' ->", error.Message, StringComparison.Ordinal);

        var result = VocabularyExpansion.AddSpecialTokens(model, ["<|user|>", "<|endoftext|>"]);
        var tokenizer = LlmTokenizer.FromModel(result.Model);

        Assert.Equal([new VocabularyToken("<|user|>", 600)], result.Resize.NewTokens);
        Assert.Equal(["'<|endoftext|>': already a special token"], result.Skipped);
        Assert.Equal([600], tokenizer.Encode("<|user|>", SpecialTokenPolicy.Allowed));
        Assert.DoesNotContain(600, tokenizer.Encode("<|user|>"));
    }
}
