namespace LlmOps.Core.Peft;

/// <summary>Runs its closing action once, on the first dispose: what <see cref="LoraModel.DisableAdapters"/> returns.</summary>
sealed class AdapterScope(Action close) : IDisposable
{
    Action? pending = close;

    /// <inheritdoc/>
    public void Dispose()
    {
        pending?.Invoke();
        pending = null;
    }
}
