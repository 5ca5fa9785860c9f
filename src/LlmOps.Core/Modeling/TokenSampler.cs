using static TorchSharp.torch;

namespace LlmOps.Core.Modeling;

/// <summary>Turns one position's logits into the next token: repetition penalty, temperature, top-k, top-p, then a
/// draw. Runs on the CPU in fp32 (one vocabulary-sized row), so the same seed gives the same token on any device.</summary>
static class TokenSampler
{
    /// <summary>Chooses the next token from <paramref name="logits"/> ([vocabulary]) given the context so far.</summary>
    public static int Next(Tensor logits, IReadOnlyList<int> context, GenerationConfig config, Generator? generator)
    {
        var row = logits.to(ScalarType.Float32, CPU).clone();
        if (config.RepetitionPenalty != 1.0 && context.Count > 0)
        {
            var seen = tensor(context.Distinct().Select(t => (long)t).ToArray());
            var scores = row.gather(0, seen);
            var penalised = where(scores > 0, scores / config.RepetitionPenalty, scores * config.RepetitionPenalty);
            row.scatter_(0, seen, penalised);
        }
        if (config.Temperature == 0)
            return (int)row.argmax().item<long>();

        row = row / config.Temperature;
        if (config.TopK is { } k && k < row.shape[0])
        {
            var (top, _) = row.topk(k);
            row = row.masked_fill(row < top[k - 1], double.NegativeInfinity);
        }
        if (config.TopP is { } p && p < 1)
        {
            var (sorted, order) = row.sort(descending: true);
            var probabilities = sorted.softmax(0);
            // Drop a token when the tokens before it already reach p; the most likely token always stays.
            var drop = (probabilities.cumsum(0) - probabilities) > p;
            sorted = sorted.masked_fill(drop, double.NegativeInfinity);
            row = full_like(row, double.NegativeInfinity).scatter_(0, order, sorted);
        }
        return (int)row.softmax(0).multinomial(1, generator: generator).item<long>();
    }
}
