using LlmOps.Core.Modeling;

namespace LlmOps.Core.Tests.Modeling;

public class GptConfigTests
{
    [Fact]
    public void The_presets_are_nanoGPTs_shapes_and_valid()
    {
        var baby = GptConfig.Baby(65).Validate();
        Assert.Equal((4, 4, 128, 64), (baby.Layers, baby.Heads, baby.EmbeddingSize, baby.BlockSize));
        var small = GptConfig.Small(65).Validate();
        Assert.Equal((6, 6, 384, 256), (small.Layers, small.Heads, small.EmbeddingSize, small.BlockSize));
        Assert.Equal(64, small.HeadSize);
    }

    [Fact]
    public void Validation_names_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new GptConfig(0, 8, 2, 3, 16, Dropout: 1.5).Validate());
        Assert.Contains("VocabSize must be at least 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("EmbeddingSize (16) must be divisible by Heads (3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dropout must be in [0, 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotary_positions_need_an_even_head_size()
    {
        var config = new GptConfig(11, 8, 1, 2, 6, Positions: PositionEncoding.Rotary); // head size 3
        var error = Assert.Throws<ArgumentException>(() => config.Validate());
        Assert.Contains("head size (6/2 = 3) must be even", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Gpt(config));
        (config with { Positions = PositionEncoding.Learned }).Validate();
    }
}
