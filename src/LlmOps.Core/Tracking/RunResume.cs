namespace LlmOps.Core.Tracking;

/// <summary>One time a run was continued from a checkpoint, into the same record.</summary>
/// <param name="Step">The checkpoint's step: metrics after it were dropped and logged again by the resumed work.</param>
/// <param name="Time">When it resumed (UTC).</param>
/// <param name="PreviousStatus">How the run stood before: <see cref="RunStatus.Killed"/> after a crash,
/// <see cref="RunStatus.Cancelled"/> after Ctrl-C, <see cref="RunStatus.Finished"/> when extended with more steps.</param>
public sealed record RunResume(long Step, DateTimeOffset Time, RunStatus PreviousStatus);
