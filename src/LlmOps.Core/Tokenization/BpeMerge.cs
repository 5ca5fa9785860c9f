namespace LlmOps.Core.Tokenization;

/// <summary>One merge of training, in the order it happened: the reference behaviour encoders are checked against,
/// and what a notebook shows to explain how a vocabulary grew.</summary>
/// <param name="Left">Id of the left token of the pair.</param>
/// <param name="Right">Id of the right token of the pair.</param>
/// <param name="Result">Id of the merged token (an existing id when the merged bytes already were a token).</param>
/// <param name="Count">How often the pair occurred in the corpus when it was merged.</param>
public readonly record struct BpeMerge(int Left, int Right, int Result, long Count);
