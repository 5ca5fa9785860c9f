namespace LlmOps.Core.Peft;

/// <summary>The parameter-efficient methods implemented here (peft's <c>PeftType</c>s of the same names).</summary>
public enum PeftMethod
{
    /// <summary>Low-rank updates beside frozen projections (<see cref="LoraModel"/>; peft's <c>LORA</c>).</summary>
    Lora,

    /// <summary>Bottleneck adapters after the attention and MLP outputs (<see cref="BottleneckAdapterModel"/>; peft has
    /// no such type: its files say <c>BOTTLENECK_ADAPTER</c>, our convention, see <see cref="PeftAdapterFolder"/>).</summary>
    Adapter,

    /// <summary>Learned virtual-token embeddings before the input (<see cref="PromptTuningModel"/>; peft's
    /// <c>PROMPT_TUNING</c>).</summary>
    Prompt,

    /// <summary>Virtual-token embeddings made by a prompt encoder MLP (<see cref="PTuningModel"/>; peft's
    /// <c>P_TUNING</c>).</summary>
    PTuning,

    /// <summary>Learned keys and values before every layer's attention (<see cref="PrefixTuningModel"/>; peft's
    /// <c>PREFIX_TUNING</c>).</summary>
    Prefix,
}
