using LlmOps.Core.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Modeling;

public class PackedSequencesTests
{
    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void A_packed_row_gives_each_example_the_logits_it_gets_alone(PositionEncoding positions)
    {
        using var model = Tiny.Model(Tiny.Config(positions));
        long[] first = [1, 2, 3], second = [4, 5, 6, 7];
        // One row: both examples back to back, then one padding token; the second row is the second example alone.
        using var ids = Tiny.Ids([.. first, .. second, 0], [.. second, 0, 0, 0, 0]);
        var packed = PackedSequences.FromLengths([[3, 4], [4]], 8);

        using var logits = model.Logits(ids, packed);
        using var alone1 = model.call(Tiny.Ids(first));
        using var alone2 = model.call(Tiny.Ids(second));

        Assert.Equal([2L, 8, 11], logits.shape);
        AssertClose(alone1[0], logits[0].narrow(0, 0, 3));
        AssertClose(alone2[0], logits[0].narrow(0, 3, 4));
        AssertClose(alone2[0], logits[1].narrow(0, 0, 4));
        // Without the layout the second example would see the first: its logits differ (the check above can fail).
        using var unpacked = model.call(ids);
        Assert.True((unpacked[0].narrow(0, 3, 4) - alone2[0]).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void Gradients_of_a_packed_row_equal_the_sum_over_its_examples_alone()
    {
        using var packedModel = Tiny.Model(Tiny.Config(PositionEncoding.Rotary));
        using var aloneModel = Tiny.Model(Tiny.Config(PositionEncoding.Rotary));
        long[] first = [1, 2, 3], second = [4, 5, 6, 7, 8];
        using (var loss = LossSum(packedModel.Logits(Tiny.Ids([.. first, .. second]), PackedSequences.FromLengths([[3, 5]], 8)), [.. first, .. second], [3, 5]))
            loss.backward();
        using (var loss = LossSum(aloneModel.call(Tiny.Ids(first)), first, [3]) + LossSum(aloneModel.call(Tiny.Ids(second)), second, [5]))
            loss.backward();

        foreach (var ((name, p), (_, q)) in packedModel.named_parameters().Zip(aloneModel.named_parameters()))
            Assert.True((p.grad! - q.grad!).abs().max().item<float>() < 1e-5f, $"{name}'s gradient differs");
    }

    [Fact]
    public void A_layout_of_another_shape_is_refused()
    {
        using var model = Tiny.Model();
        var packed = PackedSequences.FromLengths([[3]], 4);
        var error = Assert.Throws<ArgumentException>(() => model.Logits(Tiny.Ids([1, 2, 3, 4, 5]), packed));
        Assert.Contains("packed layout is [1, 4]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PackedSequences.FromLengths([[3, 3]], 5));
    }

    // Next-token cross entropy summed within each example (a target never crosses into the next example).
    static Tensor LossSum(Tensor logits, long[] ids, int[] lengths)
    {
        var targets = Enumerable.Repeat(-1L, ids.Length).ToArray();
        int start = 0;
        foreach (int length in lengths)
        {
            for (int i = start; i < start + length - 1; i++)
                targets[i] = ids[i + 1];
            start += length;
        }
        using var y = tensor(targets, [1, ids.Length]);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), y.view(-1), ignore_index: -1, reduction: nn.Reduction.Sum);
    }

    static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True((expected - actual).abs().max().item<float>() < 1e-5f, $"max difference {(expected - actual).abs().max().item<float>()}");
}
