using LlmOps.Core.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

/// <summary>The short training run every method's test makes: next-token loss on one batch, one dispose scope a step.</summary>
static class PeftTraining
{
    /// <summary>Runs <paramref name="steps"/> optimizer steps on <paramref name="ids"/>; the first and last step's loss.</summary>
    public static (float First, float Last) Run(Gpt model, optim.Optimizer optimizer, Tensor ids, int steps)
    {
        float first = 0, last = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.NextTokenLoss(ids);
            loss.backward();
            optimizer.step();
            if (step == 0)
                first = loss.item<float>();
            last = loss.item<float>();
        }
        return (first, last);
    }
}
