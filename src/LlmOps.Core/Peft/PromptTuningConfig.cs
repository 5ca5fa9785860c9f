namespace LlmOps.Core.Peft;

/// <summary>
/// Prompt tuning (Lester et al., 2021, "The Power of Scale for Parameter-Efficient Prompt Tuning"), as peft's
/// <c>PromptTuningConfig</c>: N learned embeddings before the input's token embeddings, nothing else trains.
/// </summary>
/// <param name="VirtualTokens">peft's <c>num_virtual_tokens</c> (N); they take the first N positions of the block.</param>
/// <param name="Init">peft's <c>prompt_tuning_init</c>: random, or from <paramref name="InitText"/>'s token embeddings.</param>
/// <param name="InitText">peft's <c>prompt_tuning_init_text</c>; required for <see cref="PromptTuningInit.Text"/>.</param>
public sealed record PromptTuningConfig(int VirtualTokens = 8, PromptTuningInit Init = PromptTuningInit.Random, string? InitText = null)
{
    /// <summary>Checks the values, returning this config so calls chain.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public PromptTuningConfig Validate()
    {
        PromptLearningModel.CheckSizes(VirtualTokens, null);
        if (!Enum.IsDefined(Init))
            throw new ArgumentException($"Prompt tuning init '{Init}' is not Random or Text.", nameof(Init));
        if (Init == PromptTuningInit.Text && string.IsNullOrEmpty(InitText))
            throw new ArgumentException("Prompt tuning with Text init needs an InitText whose token embeddings start the virtual tokens.", nameof(InitText));
        return this;
    }
}
