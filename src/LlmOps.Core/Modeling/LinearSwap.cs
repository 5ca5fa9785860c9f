using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>The registration half of <see cref="ILinearHost.Replace"/>, shared by the layers that host projections.</summary>
static class LinearSwap
{
    /// <summary>Re-registers <paramref name="name"/> on <paramref name="host"/> as <paramref name="replacement"/>:
    /// TorchSharp refuses to register a name twice, and registering null removes it.</summary>
    public static void Register(nn.Module host, string name, nn.Module<Tensor, Tensor> replacement)
    {
        host.register_module(name, null!);
        host.register_module(name, replacement);
    }
}
