namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>What <see cref="InstructionJsonl.ReadAsync"/> read.</summary>
/// <param name="Examples">The good records, in file order.</param>
/// <param name="Shape">The file's shape (of its first good record); null when it had none.</param>
/// <param name="Rejected">Records sent to the rejects file (with <see cref="Data.BadRecordPolicy.Reject"/>).</param>
public sealed record InstructionReadResult(IReadOnlyList<InstructionExample> Examples, InstructionShape? Shape, int Rejected);
