namespace LlmOps.Core.Evaluation;

/// <summary>An evaluation item that shares an n-gram with the training data.</summary>
/// <param name="Task">Its task.</param>
/// <param name="File">Its data file.</param>
/// <param name="Line">Its line there.</param>
/// <param name="NGram">The first of its n-grams found in the training data (normalized words joined by spaces).</param>
public sealed record ContaminatedItem(string Task, string File, long Line, string NGram);
