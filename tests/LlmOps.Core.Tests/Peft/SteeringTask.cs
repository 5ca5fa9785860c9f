using LlmOps.Core.Modeling;
using LlmOps.Core.Tests.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

/// <summary>
/// A base that prompt learning can steer, trained once per test class. Prompt-learning methods change only what the
/// frozen attention reads, and a model at GPT-2's init barely uses its attention (its block outputs are tiny next to the
/// residual stream), so no prompt could move it: prompts steer trained models. The base learns two walks over tokens
/// 0..39 chosen by a mode token at the start: after <see cref="Up"/> each token is the previous + 1, after
/// <see cref="Skip"/> the previous + 3 (mod 40). The steering task is the skip walk without its mode token; the virtual
/// tokens have to stand in for it.
/// </summary>
public sealed class SteeringTask : IDisposable
{
    /// <summary>The mode token of the +1 walk.</summary>
    public const int Up = 40;

    /// <summary>The mode token of the +3 walk.</summary>
    public const int Skip = 41;

    readonly Dictionary<string, Tensor> state;

    /// <summary>Trains the base: 300 AdamW steps over seeded batches of both walks.</summary>
    public SteeringTask()
    {
        using var model = PromptLearningTests.Model();
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 0.01);
        var random = new Random(5);
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var batch = Enumerable.Range(0, 16).Select(i => Walk(i % 2 == 0 ? Up : Skip, random.Next(40), 12)).ToArray();
            var loss = model.NextTokenLoss(Tiny.Ids(batch));
            loss.backward();
            optimizer.step();
        }
        state = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>A fresh copy of the trained base (eval mode).</summary>
    public Gpt Base()
    {
        var model = PromptLearningTests.Model();
        model.load_state_dict(state);
        return model;
    }

    /// <summary>The steering batch: skip walks from several starts, without the mode token.</summary>
    public static Tensor Steering() => Tiny.Ids([.. Enumerable.Range(0, 8).Select(i => Walk(null, 5 * i, 10))]);

    static long[] Walk(int? mode, int start, int length)
    {
        int stride = mode == Up ? 1 : 3;
        var walk = Enumerable.Range(0, length).Select(i => (long)((start + stride * i) % 40));
        return mode is { } m ? [m, .. walk.Take(length - 1)] : [.. walk];
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in state.Values)
            tensor.Dispose();
    }
}
