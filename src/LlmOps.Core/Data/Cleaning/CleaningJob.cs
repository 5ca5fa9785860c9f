using LlmOps.Core.Data.Mixing;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>One cleaning run from input to files on disk.</summary>
/// <param name="Input">A catalog dataset name or a file or folder path.</param>
/// <param name="OutputFolder">Where <c>clean.jsonl</c> (or the split files), <c>rejects.jsonl</c>, <c>report.json</c> and
/// <c>manifest.json</c> go.</param>
/// <param name="Recipe">The steps; <see cref="CleaningRecipe.Default"/> when null.</param>
/// <param name="Read">How to read the input (text field, format, bad-record policy: with
/// <see cref="BadRecordPolicy.Reject"/> unreadable records join the rejects file as step <c>load</c>).</param>
/// <param name="Split">When set, the kept documents are split by content hash into train/validation/test files.</param>
/// <param name="Limit">Read at most this many documents (quick runs); null reads all.</param>
public sealed record CleaningJob(
    string Input,
    string OutputFolder,
    CleaningRecipe? Recipe = null,
    ReadOptions? Read = null,
    SplitRatios? Split = null,
    int? Limit = null);
