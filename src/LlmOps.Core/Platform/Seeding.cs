using TorchSharp;

namespace LlmOps.Core.Platform;

/// <summary>One call that makes a run repeatable: seeds libtorch (CPU and every GPU) and hands back the
/// <see cref="SeedScope"/> from which library code takes its .NET random numbers and data order.</summary>
public static class Seeding
{
    /// <summary>Seeds libtorch's generators and returns the scope that derives every other random stream.</summary>
    public static SeedScope SeedEverything(int seed)
    {
        TorchRuntime.EnsureInitialized();
        torch.manual_seed(seed);
        if (torch.cuda.is_available())
            torch.cuda.manual_seed_all(seed);
        return new SeedScope(seed);
    }
}
