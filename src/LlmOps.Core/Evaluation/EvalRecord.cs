namespace LlmOps.Core.Evaluation;

/// <summary>One line of an evaluation data file.</summary>
/// <param name="File">The file.</param>
/// <param name="Line">Its 1-based line.</param>
/// <param name="Fields">Every field: strings as they are, other values as their JSON text (numbers, arrays).</param>
public sealed record EvalRecord(string File, long Line, IReadOnlyDictionary<string, string> Fields);
