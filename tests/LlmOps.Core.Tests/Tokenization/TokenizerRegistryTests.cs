using LlmOps.Core.Tokenization;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Tokenization;

public class TokenizerRegistryTests
{
    [Fact]
    public void Built_ins_trained_folders_and_paths_resolve_and_unknown_names_list_what_exists()
    {
        string root = RepoPaths.NewTempFolder("llmops-registry");
        var registry = new TokenizerRegistry(root);
        string saved = registry.Save(TokenizationSamples.Small.Model, "sotu-small");
        Directory.CreateDirectory(Path.Combine(root, "empty"));

        Assert.Equal(["o200k_base", "cl100k_base", "sotu-small"], registry.Names);
        Assert.Equal("o200k_base", registry.Get("o200k_base").Name);
        Assert.Same(registry.Get("o200k_base"), registry.Get("o200k_base"));
        Assert.Equal(600, registry.Get("sotu-small").VocabSize);
        Assert.Equal(600, new TokenizerRegistry(RepoPaths.NewTempFolder("llmops-registry-other")).Get(saved).VocabSize);

        var unknown = Assert.Throws<KeyNotFoundException>(() => registry.Get("gpt2"));
        Assert.Contains("No tokenizer 'gpt2'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("o200k_base, cl100k_base, sotu-small", unknown.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<KeyNotFoundException>(() => registry.Get("empty"));
        Assert.Contains("has no tokenizer.json", empty.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => registry.Save(TokenizationSamples.Small.Model, "cl100k_base"));
    }
}
