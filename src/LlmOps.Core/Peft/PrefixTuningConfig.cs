namespace LlmOps.Core.Peft;

/// <summary>
/// Prefix tuning (Li and Liang, 2021, "Prefix-Tuning: Optimizing Continuous Prompts for Generation"), as peft's
/// <c>PrefixTuningConfig</c>: every layer gets N learned keys and values per head before the real ones, and every query
/// sees the whole prefix. With <paramref name="PrefixProjection"/> the prefix is reparameterised during training
/// (a table [N, C] through Linear C→H, tanh, Linear H→layers·2·C), which the paper found steadier to optimise.
/// </summary>
/// <param name="VirtualTokens">peft's <c>num_virtual_tokens</c> (N); the real tokens' positions start at N.</param>
/// <param name="PrefixProjection">peft's <c>prefix_projection</c>.</param>
/// <param name="EncoderHiddenSize">peft's <c>encoder_hidden_size</c> (H) for the projection; null uses the model's
/// embedding width.</param>
public sealed record PrefixTuningConfig(int VirtualTokens = 8, bool PrefixProjection = false, int? EncoderHiddenSize = null)
{
    /// <summary>The projection's hidden width for a model <paramref name="embeddingSize"/> wide.</summary>
    public int HiddenSize(int embeddingSize) => EncoderHiddenSize ?? embeddingSize;

    /// <summary>Checks the values, returning this config so calls chain.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public PrefixTuningConfig Validate()
    {
        PromptLearningModel.CheckSizes(VirtualTokens, EncoderHiddenSize);
        return this;
    }
}
