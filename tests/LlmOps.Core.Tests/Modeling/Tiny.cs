using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Modeling;

/// <summary>Small configs and helpers shared by the modelling tests.</summary>
static class Tiny
{
    public static GptConfig Config(PositionEncoding positions = PositionEncoding.Learned, bool tied = true, bool bias = true) =>
        new(VocabSize: 11, BlockSize: 8, Layers: 2, Heads: 2, EmbeddingSize: 16, Bias: bias, Positions: positions, TiedEmbeddings: tied);

    public static Gpt Model(GptConfig? config = null, int seed = 7)
    {
        var model = new Gpt(config ?? Config(), seed);
        model.eval();
        return model;
    }

    public static Tensor Ids(params long[][] rows)
    {
        TorchRuntime.EnsureInitialized();
        return tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
    }

    public static float[] Values(Tensor t) => t.detach().cpu().contiguous().to(ScalarType.Float32).data<float>().ToArray();
}
