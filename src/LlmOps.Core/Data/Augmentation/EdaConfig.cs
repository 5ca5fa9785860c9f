namespace LlmOps.Core.Data.Augmentation;

/// <summary>Settings for <see cref="EdaAugmenter"/>, with the defaults Wei and Zou (2019) recommend for mid-sized data.</summary>
/// <param name="CopiesPerDocument">Augmented copies made of each document.</param>
/// <param name="SwapRate">Fraction of words that take part in random swaps (α for random swap).</param>
/// <param name="DeleteProbability">Probability that each word is deleted (p for random deletion).</param>
/// <param name="Seed">Seed: the same seed gives the same copies.</param>
public sealed record EdaConfig(int CopiesPerDocument = 1, double SwapRate = 0.1, double DeleteProbability = 0.1, int Seed = 1337);
