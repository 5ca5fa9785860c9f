namespace LlmOps.Interactive.Tests.Kernel;

/// <summary>Tests that register formatters in the kernel's process-wide formatter registry (or run extension.dib,
/// which does) run one at a time: another's registration would render with the wrong render context.</summary>
[CollectionDefinition(Name)]
public sealed class KernelProcessState
{
    public const string Name = "kernel formatter registry";
}
