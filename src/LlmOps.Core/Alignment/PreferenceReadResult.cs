namespace LlmOps.Core.Alignment;

/// <summary>What <see cref="PreferenceJsonl.ReadAsync"/> read.</summary>
/// <param name="Pairs">The good records, in file order.</param>
/// <param name="Shape">The file's shape (of its first good record); null when it had none.</param>
/// <param name="Rejected">Records sent to the rejects file (with <see cref="Data.BadRecordPolicy.Reject"/>).</param>
public sealed record PreferenceReadResult(IReadOnlyList<PreferencePair> Pairs, PreferenceShape? Shape, int Rejected);
