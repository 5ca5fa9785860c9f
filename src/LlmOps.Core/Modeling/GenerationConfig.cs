namespace LlmOps.Core.Modeling;

/// <summary>How <see cref="Gpt.Generate"/> picks tokens and when it stops. The defaults sample the model's own
/// distribution unchanged; <c>Temperature = 0</c> is greedy decoding.</summary>
/// <param name="MaxNewTokens">Upper bound on generated tokens.</param>
/// <param name="Temperature">Divides the logits: below 1 sharpens, above 1 flattens; 0 means greedy (argmax).</param>
/// <param name="TopK">Sample only among the k most likely tokens (Fan et al. 2018); null for all.</param>
/// <param name="TopP">Nucleus sampling: the smallest set of tokens whose probability reaches p (Holtzman et al. 2019); null for all.</param>
/// <param name="RepetitionPenalty">CTRL's penalty (Keskar et al. 2019) on every token already in the context (prompt
/// included): positive logits are divided by it, negative ones multiplied; 1 turns it off, above 1 discourages repeats.</param>
/// <param name="Seed">Seeds a private generator, so the same seed, prompt and model give the same tokens whatever
/// else uses libtorch's global generator; null draws from the global one.</param>
/// <param name="UseKvCache">Prefill once and feed one token per step (fast); false recomputes the window every step
/// (the reference the cache is tested against).</param>
public sealed record GenerationConfig(
    int MaxNewTokens = 64,
    double Temperature = 1.0,
    int? TopK = null,
    double? TopP = null,
    double RepetitionPenalty = 1.0,
    int? Seed = null,
    bool UseKvCache = true)
{
    /// <summary>Token-id sequences that end generation; they are not yielded (tokens that might start one are held
    /// back until they cannot). Stop strings are text, matched where the text is: see
    /// <see cref="Chat.LocalChatClient.StopStrings"/>, which cuts the decoded stream character-exact.</summary>
    public IReadOnlyList<IReadOnlyList<int>> StopTokenSequences { get; init; } = [];

    /// <summary>Greedy decoding: always the most likely token, the same output every time.</summary>
    public static GenerationConfig Greedy(int maxNewTokens = 64) => new(maxNewTokens, Temperature: 0);

    /// <summary>Checks the settings, listing every problem at once.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public GenerationConfig Validate()
    {
        var problems = new List<string>();
        if (MaxNewTokens < 0)
            problems.Add($"{nameof(MaxNewTokens)} must not be negative");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
            problems.Add($"{nameof(Temperature)} must be 0 (greedy) or positive");
        if (TopK is < 1)
            problems.Add($"{nameof(TopK)} must be at least 1 (or null for no limit)");
        if (TopP is { } p && !(p > 0 && p <= 1))
            problems.Add($"{nameof(TopP)} must be in (0, 1] (or null)");
        if (!(RepetitionPenalty > 0) || double.IsInfinity(RepetitionPenalty))
            problems.Add($"{nameof(RepetitionPenalty)} must be positive (1 = off)");
        if (StopTokenSequences.Any(s => s is null || s.Count == 0))
            problems.Add($"{nameof(StopTokenSequences)} must not contain empty sequences");
        return problems.Count == 0 ? this : throw new ArgumentException($"Invalid generation config: {string.Join("; ", problems)}.");
    }
}
