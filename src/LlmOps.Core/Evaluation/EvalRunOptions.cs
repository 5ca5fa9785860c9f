namespace LlmOps.Core.Evaluation;

/// <summary>What a run may use besides the model.</summary>
/// <param name="Cache">Per-item answers: served instead of asking again, and written as they arrive (needs the model's
/// <see cref="EvalModel.Identity"/>; generate_until only, where each item is one call).</param>
public sealed record EvalRunOptions(EvalCache? Cache = null);
