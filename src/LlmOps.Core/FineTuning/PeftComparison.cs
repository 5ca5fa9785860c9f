using System.Globalization;
using LlmOps.Core.Chat;
using LlmOps.Core.FineTuning.Instructions;
using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.FineTuning;

/// <summary>
/// Fine-tuning methods side by side on the same base, data and steps: what each trains, what its optimizer state costs,
/// how fast it steps, and how well its served checkpoint answers held-out examples. A method is one more config in the
/// list given to <see cref="RunAsync"/>.
/// </summary>
/// <param name="Rows">One row per run, in the order they ran.</param>
public sealed record PeftComparison(IReadOnlyList<PeftComparisonRow> Rows)
{
    /// <summary>Runs each config (<see cref="SupervisedFineTuner.RunAsync"/>) in turn and scores its served checkpoint
    /// (<see cref="SftResult.OpenChatClient"/>) by greedy exact match on <paramref name="heldOut"/>.</summary>
    /// <param name="runs">One config per method: the same base, data and steps, each with its own
    /// <see cref="SftConfig.Method"/> and <see cref="SftConfig.OutFolder"/> (and any knobs of its own, a learning rate).</param>
    /// <param name="heldOut">The examples every method is scored on.</param>
    /// <param name="tokenizers">Where tokenizer names resolve; the default registry when null.</param>
    /// <param name="maxOutputTokens">The longest answer generated.</param>
    /// <param name="cancellationToken">Stops the run in progress (it leaves a resumable checkpoint) and the rest.</param>
    /// <exception cref="ArgumentException">Two runs share an out folder, or a config is invalid.</exception>
    public static async Task<PeftComparison> RunAsync(IEnumerable<SftConfig> runs, IReadOnlyList<InstructionExample> heldOut, TokenizerRegistry? tokenizers = null,
        int maxOutputTokens = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(heldOut);
        var configs = runs.ToList();
        if (configs.GroupBy(c => Path.GetFullPath(c.OutFolder)).FirstOrDefault(g => g.Count() > 1) is { } shared)
            throw new ArgumentException($"Runs {string.Join(" and ", shared.Select(c => c.Method))} share the out folder {shared.Key}; give each its own.", nameof(runs));
        var rows = new List<PeftComparisonRow>(configs.Count);
        foreach (var config in configs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await SupervisedFineTuner.RunAsync(config, tokenizers, cancellationToken).ConfigureAwait(false);
            using var client = result.OpenChatClient(tokenizers, GenerationConfig.Greedy(maxOutputTokens));
            var report = await InstructionEvaluation.ExactMatchAsync(client, heldOut, maxOutputTokens, cancellationToken).ConfigureAwait(false);
            rows.Add(new PeftComparisonRow(result, report));
        }
        return new PeftComparison(rows);
    }

    /// <summary>The row of <paramref name="method"/>.</summary>
    /// <exception cref="KeyNotFoundException">No run of that method.</exception>
    public PeftComparisonRow this[string method] => Rows.FirstOrDefault(r => r.Method == method)
        ?? throw new KeyNotFoundException($"No {method} run in this comparison; it has {string.Join(", ", Rows.Select(r => r.Method))}.");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Rows.Count} methods: {string.Join("; ", Rows.Select(r => $"{r.Method} {r.ExactMatch:P1} with {r.TrainableShare:P2} trained"))}");
}
