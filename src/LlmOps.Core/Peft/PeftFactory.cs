using LlmOps.Core.Modeling;

namespace LlmOps.Core.Peft;

/// <summary>
/// The one place a <see cref="PeftMethod"/> becomes a model: its name in configs and on command lines, and how it is
/// applied to a <see cref="Gpt"/>. A new method is a <see cref="PeftMethod"/> member and a case in <see cref="Apply"/>;
/// configs, the <c>#!peft</c> magic, <c>llmops finetune --method</c>, checkpoints and chat clients follow.
/// </summary>
public static class PeftFactory
{
    /// <summary>Every method's name, in <see cref="PeftMethod"/>'s order (<c>lora</c>, <c>adapter</c>, ...).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<PeftMethod>().Select(Name)];

    /// <summary>The method's name in configs and on command lines: the member's name in lower case.</summary>
    public static string Name(PeftMethod method) => method.ToString().ToLowerInvariant();

    /// <summary>The method called <paramref name="name"/> (any case), or null when none is.</summary>
    public static PeftMethod? Parse(string? name) =>
        Enum.GetValues<PeftMethod>().Where(m => string.Equals(Name(m), name, StringComparison.OrdinalIgnoreCase)).Select(m => (PeftMethod?)m).FirstOrDefault();

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
        return method switch
        {
            PeftMethod.Lora => LoraModel.Apply(model, settings.Lora().Validate(), seed: seed),
            PeftMethod.Adapter => BottleneckAdapterModel.Apply(model, settings.Bottleneck().Validate(), seed),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, $"No factory case for PEFT method {method}."),
        };
    }
}
