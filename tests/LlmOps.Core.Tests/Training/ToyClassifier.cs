using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Training;

/// <summary>A two-layer classifier with dropout: small enough to train in a second, with dropout so that exact resume
/// depends on the generator state the loop saves.</summary>
sealed class ToyClassifier : nn.Module<Tensor, Tensor>
{
    public const int Features = 8, Classes = 3;

    readonly Linear hidden = nn.Linear(Features, 32);
    readonly Dropout dropout = nn.Dropout(0.1);
    readonly Linear head = nn.Linear(32, Classes);

    public ToyClassifier() : base(nameof(ToyClassifier)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return head.call(dropout.call(nn.functional.relu(hidden.call(input)))).MoveToOuterDisposeScope();
    }
}
