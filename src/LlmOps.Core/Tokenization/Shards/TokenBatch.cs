namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// One training or evaluation batch as plain row-major arrays, so this library stays free of TorchSharp and the trainer
/// decides device and dtype. Turn it into tensors with
/// <c>torch.tensor(batch.Inputs, new long[] { batch.BatchSize, batch.BlockSize })</c> (and the same for
/// <see cref="Targets"/>), then <c>.to(device)</c>; the ids are <see cref="long"/> because embedding lookups and
/// cross-entropy targets take int64 indices.
/// </summary>
/// <param name="Inputs">B×T ids, row by row: row b is the corpus from <c>Offsets[b]</c> on.</param>
/// <param name="Targets">B×T ids: the inputs shifted by one token, the next token to predict at each position.</param>
/// <param name="BatchSize">Rows (B).</param>
/// <param name="BlockSize">Tokens per row (T).</param>
/// <param name="Offsets">Each row's first token as a global corpus offset, so a batch can be traced back to its text.</param>
public sealed record TokenBatch(long[] Inputs, long[] Targets, int BatchSize, int BlockSize, long[] Offsets);
