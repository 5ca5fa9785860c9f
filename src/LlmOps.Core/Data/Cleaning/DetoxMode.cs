namespace LlmOps.Core.Data.Cleaning;

/// <summary>What <see cref="Detox"/> does with a document that uses listed terms.</summary>
public enum DetoxMode
{
    /// <summary>Remove the document when it has at least <see cref="DetoxConfig.MinHits"/> hits (pretraining data:
    /// a document built around such words is rarely worth keeping).</summary>
    RemoveDocument,
    /// <summary>Keep the document and replace each hit with <see cref="DetoxConfig.Placeholder"/> (text that is
    /// otherwise good, such as dialogue or reviews).</summary>
    Mask,
}
