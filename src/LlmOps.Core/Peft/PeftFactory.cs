using LlmOps.Core.Modeling;

namespace LlmOps.Core.Peft;

/// <summary>
/// The one place a <see cref="PeftMethod"/> becomes a fine-tuning method: its name in configs and on command lines,
/// and how it is applied to a <see cref="Gpt"/> from <see cref="PeftSettings"/>. Adding a method is one entry in the
/// table below; configs, the <c>#!peft</c> magic, <c>llmops finetune --method</c>, checkpoints and chat clients follow.
/// The prompt-learning methods take <see cref="PeftSettings.VirtualTokens"/> positions of the model's block
/// (<see cref="VirtualPositions"/>), which the fine-tuner leaves free when it fits examples to the context.
/// </summary>
public static class PeftFactory
{
    // One entry per method fine-tuning offers: (model, settings, seed) -> the model with the method applied.
    static readonly IReadOnlyDictionary<PeftMethod, Func<Gpt, PeftSettings, int, IPeftModel>> Factories = new Dictionary<PeftMethod, Func<Gpt, PeftSettings, int, IPeftModel>>
    {
        [PeftMethod.Lora] = (model, settings, seed) => LoraModel.Apply(model, settings.Lora().Validate(), seed: seed),
        [PeftMethod.Adapter] = (model, settings, seed) => BottleneckAdapterModel.Apply(model, settings.Bottleneck().Validate(), seed),
        [PeftMethod.Prompt] = (model, settings, seed) => PromptTuningModel.Apply(model, new PromptTuningConfig(settings.VirtualTokens).Validate(), seed),
        [PeftMethod.PTuning] = (model, settings, seed) => PTuningModel.Apply(model, new PTuningConfig(settings.VirtualTokens).Validate(), seed),
        [PeftMethod.Prefix] = (model, settings, seed) => PrefixTuningModel.Apply(model, new PrefixTuningConfig(settings.VirtualTokens).Validate(), seed),
    };

    /// <summary>Positions of the model's block that <paramref name="method"/> takes before every sequence: the virtual
    /// tokens of prompt tuning, P-tuning and prefix tuning; 0 for methods that add none (null is full fine-tuning).</summary>
    public static int VirtualPositions(PeftMethod? method, PeftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return method is PeftMethod.Prompt or PeftMethod.PTuning or PeftMethod.Prefix ? settings.VirtualTokens : 0;
    }

    /// <summary>The names of the methods fine-tuning offers, in <see cref="PeftMethod"/>'s order (<c>lora</c>, <c>adapter</c>, ...).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<PeftMethod>().Where(Factories.ContainsKey).Select(Name)];

    /// <summary>The method's name in configs and on command lines: the member's name in lower case.</summary>
    public static string Name(PeftMethod method) => method.ToString().ToLowerInvariant();

    /// <summary>The offered method called <paramref name="name"/> (any case), or null when none is.</summary>
    public static PeftMethod? Parse(string? name) =>
        Factories.Keys.Where(m => string.Equals(Name(m), name, StringComparison.OrdinalIgnoreCase)).Select(m => (PeftMethod?)m).FirstOrDefault();

    /// <summary>Applies <paramref name="method"/> to <paramref name="model"/> in place: the base is frozen and only the
    /// method's parameters train.</summary>
    /// <param name="model">The base; changed in place (move it to its device first: the new parameters follow it).</param>
    /// <param name="method">Which method.</param>
    /// <param name="settings">The knobs; each method reads its own.</param>
    /// <param name="seed">Seeds the new parameters' initialisation (a private generator), so a seed gives one model.</param>
    /// <exception cref="ArgumentException">The settings do not fit the method or the model (targets match nothing, ...).</exception>
    public static IPeftModel Apply(Gpt model, PeftMethod method, PeftSettings settings, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problems() is { Count: > 0 } problems)
            throw new ArgumentException($"Invalid PEFT settings: {string.Join("; ", problems)}.", nameof(settings));
        return Factories.TryGetValue(method, out var apply) ? apply(model, settings, seed)
            : throw new ArgumentOutOfRangeException(nameof(method), method, $"Fine-tuning does not offer PEFT method {method} yet; it offers {string.Join(", ", Names)}.");
    }
}
