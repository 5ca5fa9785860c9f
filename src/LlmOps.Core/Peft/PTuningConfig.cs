namespace LlmOps.Core.Peft;

/// <summary>
/// P-tuning (Liu et al., 2021, "GPT Understands, Too"), as peft's <c>PromptEncoderConfig</c> with
/// <c>encoder_reparameterization_type = MLP</c>: N virtual-token embeddings before the input, produced each forward
/// pass by a prompt encoder (a table of N rows through peft's MLP head: Linear C→H, ReLU, Linear H→H, ReLU,
/// Linear H→C). The encoder is what trains. peft's LSTM encoder is not implemented: the MLP is peft's default and the
/// one its docs recommend, and the LSTM adds nothing the lesson needs.
/// </summary>
/// <param name="VirtualTokens">peft's <c>num_virtual_tokens</c> (N).</param>
/// <param name="EncoderHiddenSize">peft's <c>encoder_hidden_size</c> (H); null uses the model's embedding width.</param>
public sealed record PTuningConfig(int VirtualTokens = 8, int? EncoderHiddenSize = null)
{
    /// <summary>The encoder's hidden width for a model <paramref name="embeddingSize"/> wide.</summary>
    public int HiddenSize(int embeddingSize) => EncoderHiddenSize ?? embeddingSize;

    /// <summary>Checks the values, returning this config so calls chain.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public PTuningConfig Validate()
    {
        PromptLearningModel.CheckSizes(VirtualTokens, EncoderHiddenSize);
        return this;
    }
}
