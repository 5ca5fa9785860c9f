namespace LlmOps.Core.Peft;

/// <summary>The parameter-efficient methods implemented here (peft's <c>PeftType</c>s of the same names).</summary>
public enum PeftMethod
{
    /// <summary>Low-rank updates beside frozen projections (<see cref="LoraModel"/>).</summary>
    Lora,

    /// <summary>Bottleneck adapters after the attention and MLP outputs (<see cref="BottleneckAdapterModel"/>).</summary>
    Adapter,
}
