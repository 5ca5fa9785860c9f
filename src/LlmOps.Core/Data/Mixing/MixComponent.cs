namespace LlmOps.Core.Data.Mixing;

/// <summary>How one source fared in a mix.</summary>
/// <param name="Source">The source name.</param>
/// <param name="Weight">Its requested share of the mix's characters.</param>
/// <param name="AvailableCharacters">Characters the source has.</param>
/// <param name="TakenCharacters">Characters the mix took from it (more than available means repeated epochs).</param>
/// <param name="Documents">Documents taken (repeats counted).</param>
/// <param name="Epochs">How many times over the source was used: below 1 is a subsample, above 1 an upsample.</param>
public sealed record MixComponent(string Source, double Weight, long AvailableCharacters, long TakenCharacters, int Documents, double Epochs);
