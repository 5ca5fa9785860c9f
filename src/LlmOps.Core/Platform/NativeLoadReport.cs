namespace LlmOps.Core.Platform;

/// <summary>How TorchSharp's native shim was made loadable in this process.</summary>
/// <param name="Route">
/// <c>not-needed</c> (this system's libstdc++ is new enough, or not Linux), <c>patched-at-build</c> (the
/// build output already carries the fix), <c>patched-private-copy</c> (the runtime route ran),
/// <c>disabled</c> (turned off by <see cref="TorchRuntime.DisableVariable"/>), or <c>not-found</c>.
/// </param>
/// <param name="Detail">Why that route, in a sentence.</param>
/// <param name="LibTorchSharpPath">The shim that TorchSharp uses, when one was found.</param>
public sealed record NativeLoadReport(string Route, string Detail, string? LibTorchSharpPath);
