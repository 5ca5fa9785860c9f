namespace LlmOps.Core.Modeling;

/// <summary>What a checkpoint must remember besides weights so a run can be reproduced and served: which tokenizer
/// the ids mean, and which data manifest the model was trained on.</summary>
/// <param name="Tokenizer">A tokenizer reference (a catalog name, a path, or a content id).</param>
/// <param name="DataManifestId">The content id of the training data's manifest (<c>DataManifest</c>).</param>
public sealed record CheckpointMetadata(string? Tokenizer = null, string? DataManifestId = null)
{
    /// <summary>Anything else worth keeping (step, loss, git commit), as strings so it also fits safetensors' metadata.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}
