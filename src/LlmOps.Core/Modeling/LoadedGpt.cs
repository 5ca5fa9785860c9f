namespace LlmOps.Core.Modeling;

/// <summary>A model read back from a checkpoint, with what was saved beside it.</summary>
/// <param name="Model">The model, in eval mode, on the requested device.</param>
/// <param name="Metadata">Tokenizer reference, data manifest id and extras.</param>
/// <param name="Folder">The checkpoint folder it came from.</param>
public sealed record LoadedGpt(Gpt Model, CheckpointMetadata Metadata, string Folder) : IDisposable
{
    /// <summary>The model's shape (from <c>config.json</c>).</summary>
    public GptConfig Config => Model.Config;

    /// <summary>Frees the model's tensors.</summary>
    public void Dispose() => Model.Dispose();
}
