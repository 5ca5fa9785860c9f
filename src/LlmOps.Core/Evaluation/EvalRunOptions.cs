using Microsoft.Extensions.AI;

namespace LlmOps.Core.Evaluation;

/// <summary>What a run may use besides the model.</summary>
/// <param name="Cache">Per-item answers: served instead of asking again, and written as they arrive (needs the model's
/// <see cref="EvalModel.Identity"/>; generate_until only, where each item is one call).</param>
/// <param name="Judge">The judge model for tasks with the <c>judge</c> metric; overrides a task's own
/// <see cref="EvalJudge.Endpoint"/> (stays the caller's).</param>
/// <param name="JudgeIdentity">Names <paramref name="Judge"/> in the cache; null: its grades are not cached.</param>
public sealed record EvalRunOptions(EvalCache? Cache = null, IChatClient? Judge = null, string? JudgeIdentity = null);
