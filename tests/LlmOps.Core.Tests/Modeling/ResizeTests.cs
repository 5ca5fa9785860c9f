using LlmOps.Core.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Modeling;

public class ResizeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Growing_the_vocabulary_keeps_old_logits_and_starts_new_rows_at_the_mean(bool tied)
    {
        using var model = Tiny.Model(Tiny.Config(tied: tied));
        using var ids = Tiny.Ids([1, 4, 2, 10, 0]);
        var before = Tiny.Values(model.call(ids));
        using var oldMean = model.named_parameters().First(p => p.name == "wte.weight").parameter.mean([0L]);
        long count = model.ParameterCount();

        model.ResizeTokenEmbeddings(14);

        Assert.Equal(14, model.Config.VocabSize);
        using var logits = model.call(ids);
        Assert.Equal([1L, 5, 14], logits.shape);
        // Unchanged up to float rounding: the head's matmul is blocked differently for 14 rows than for 11.
        var after = Tiny.Values(logits.narrow(2, 0, 11));
        Assert.Equal(before.Length, after.Length);
        Assert.All(before.Zip(after), pair => Assert.True(Math.Abs(pair.First - pair.Second) < 1e-6, $"{pair.First} vs {pair.Second}"));
        var embedding = model.named_parameters().First(p => p.name == "wte.weight").parameter;
        Assert.Equal(Tiny.Values(oldMean), Tiny.Values(embedding[13]));
        Assert.Equal(count + 3 * 16 * (tied ? 1 : 2), model.ParameterCount()); // tied: one matrix grew
        Assert.Equal(tied, !model.named_parameters().Any(p => p.name == "lm_head.weight"));
        using var newIds = Tiny.Ids([12, 13]);
        Assert.Equal([1L, 2, 14], model.call(newIds).shape);
    }
}
