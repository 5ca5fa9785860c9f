namespace LlmOps.Core.Tracking;

/// <summary>A file a run produced (checkpoint, report, tokenizer), pinned by hash so it can be checked later.</summary>
/// <param name="Name">Role of the file (checkpoint, best, report, ...).</param>
/// <param name="Path">Where it was written.</param>
/// <param name="Sha256">Its SHA-256 when recorded (a folder: of its file listing; see Data.ManifestFile).</param>
/// <param name="Bytes">Its size.</param>
public sealed record RunArtifact(string Name, string Path, string Sha256, long Bytes);
