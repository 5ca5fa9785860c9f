using LlmOps.Core.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Modeling;

public class AttentionProbeTests
{
    [Theory]
    [InlineData(PositionEncoding.Learned)]
    [InlineData(PositionEncoding.Rotary)]
    public void The_explicit_path_gives_the_fused_kernels_output_and_causal_weights(PositionEncoding positions)
    {
        using var model = Tiny.Model(Tiny.Config(positions));
        model.train(); // the probe runs in eval mode and puts the model back as it was
        using var ids = Tiny.Ids([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]);

        var probes = model.ProbeAttention(ids);

        Assert.True(model.training);
        Assert.Equal([0, 1], probes.Select(p => p.Layer));
        foreach (var probe in probes)
        {
            Assert.Equal([2L, 2, 6, 6], probe.Weights.shape);
            Assert.InRange(probe.SdpaDifference, 0, 1e-5);
            float[] weights = Tiny.Values(probe.Weights);
            bool[] mask = probe.Mask.data<bool>().ToArray();
            for (int row = 0; row < 2 * 2 * 6; row++)
            {
                int query = row % 6;
                var keys = weights.Skip(row * 6).Take(6).ToArray();
                Assert.Equal(1.0, keys.Sum(), 5);
                for (int key = 0; key < 6; key++)
                {
                    Assert.Equal(key <= query, mask[query * 6 + key]);
                    if (key > query)
                        Assert.Equal(0f, keys[key]); // a query never sees a later key
                    else
                        Assert.True(keys[key] > 0);
                }
            }
            probe.Dispose();
        }
    }

    [Fact]
    public void The_first_layers_weights_equal_a_hand_computation_from_the_state_dict()
    {
        using var model = Tiny.Model();
        using var ids = Tiny.Ids([3, 1, 4, 1, 5, 9, 2, 6]);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        const int C = 16, H = 2, D = C / H;

        // x = wte[ids] + wpe[0..T); ln_1; c_attn; head 0's queries and keys; scores/√d; causal mask; softmax.
        using var x = p["wte.weight"].index_select(0, ids[0]) + p["wpe.weight"].narrow(0, 0, 8);
        using var h = nn.functional.layer_norm(x, [C], p["h.0.ln_1.weight"], p["h.0.ln_1.bias"]);
        using var qkv = nn.functional.linear(h, p["h.0.attn.c_attn.weight"], p["h.0.attn.c_attn.bias"]);
        using var q = qkv.narrow(1, 0, D);
        using var k = qkv.narrow(1, C, D);
        using var scores = q.matmul(k.t()) / Math.Sqrt(D);
        using var future = ones(8, 8, dtype: ScalarType.Bool).triu(1);
        using var expected = scores.masked_fill(future, double.NegativeInfinity).softmax(-1);

        var probes = model.ProbeAttention(ids);
        using var head0 = probes[0].Weights[0, 0];

        Assert.True(head0.allclose(expected, rtol: 1e-5, atol: 1e-6), "the probe's weights differ from the hand computation");
        Assert.Equal(H, probes[0].Weights.shape[1]);
        foreach (var probe in probes)
            probe.Dispose();
    }

    [Fact]
    public void A_probe_past_the_block_size_is_refused()
    {
        using var model = Tiny.Model();
        var error = Assert.Throws<ArgumentException>(() => model.ProbeAttention(Tiny.Ids([.. Enumerable.Repeat(1L, 9)])));
        Assert.Contains("block size is 8", error.Message, StringComparison.Ordinal);
    }
}
