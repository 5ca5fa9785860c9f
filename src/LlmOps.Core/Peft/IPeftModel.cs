using LlmOps.Core.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlmOps.Core.Peft;

/// <summary>A <see cref="Gpt"/> with a parameter-efficient method applied in place: what a trainer or a comparison
/// needs from any method, whichever it is.</summary>
public interface IPeftModel
{
    /// <summary>Which method this is.</summary>
    PeftMethod Method { get; }

    /// <summary>The model, changed in place; its forward pass includes the method's modules.</summary>
    Gpt Model { get; }

    /// <summary>The parameters that train (hand these to the optimizer); everything else is frozen.</summary>
    IReadOnlyList<Parameter> AdapterParameters();

    /// <summary>Trainable and total parameters, and AdamW's state bytes for the trainable ones.</summary>
    TrainableParameters Trainable();

    /// <summary>Writes the method's own parameters (not the base) into <paramref name="folder"/> in peft's
    /// <c>save_pretrained</c> layout; <see cref="PeftAdapterFolder.Load"/> reads any of them back.</summary>
    /// <param name="folder">Replaced whole.</param>
    /// <param name="baseModelNameOrPath">peft's <c>base_model_name_or_path</c>: the checkpoint the adapter belongs to.</param>
    void Save(string folder, string? baseModelNameOrPath = null);
}
