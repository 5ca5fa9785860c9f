namespace LlmOps.Core.Data.Dedup;

/// <summary>Settings of <see cref="LineDedup"/>.</summary>
/// <param name="MinChars">Lines whose normal form is shorter are never dropped: short lines such as "Thanks," or
/// "Hi all" repeat by chance and carry the message's shape, while boilerplate footers are long.</param>
/// <param name="SeenInDocuments">A line is dropped once this many earlier documents contained it (1: every repeat
/// after the first document; higher keeps lines that merely recur a few times, such as quoted replies).</param>
public sealed record LineDedupConfig(int MinChars = 30, int SeenInDocuments = 1);
