using LlmOps.Core.Modeling;
using LlmOps.Core.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Evaluation;

/// <summary>
/// Log-likelihoods from a local <see cref="Gpt"/>, as lm-evaluation-harness's HF model computes them: a request is a
/// token sequence of which only the last tokens are scored (a choice after its question, a window of a document);
/// requests are sorted longest first, padded on the right into batches and run one forward per batch, and each
/// request's score is the sum of log-softmax at its scored targets. Right padding changes nothing before it, since
/// attention is causal, so a batched score equals the one-at-a-time score (up to float rounding).
/// </summary>
public sealed class LoglikelihoodScorer
{
    /// <summary>Creates a scorer.</summary>
    /// <param name="model">The model (put in eval mode while scoring, then restored).</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="batchSize">Requests per forward pass.</param>
    /// <param name="prefixToken">The token that stands before a document or an empty context, so the first token is
    /// scored too (the harness's <c>prefix_token_id</c>, the end-of-text token); by default the tokenizer's
    /// <c>&lt;|endoftext|&gt;</c> when it has one; without one the first token of a document is context only.</param>
    public LoglikelihoodScorer(Gpt model, LlmTokenizer tokenizer, int batchSize = 16, int? prefixToken = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Model = model;
        Tokenizer = tokenizer;
        BatchSize = batchSize;
        PrefixToken = prefixToken ?? (tokenizer.SpecialTokens.TryGetValue(BpeTrainerConfig.EndOfText, out int id) ? id : null);
    }

    /// <summary>The model.</summary>
    public Gpt Model { get; }

    /// <summary>Its tokenizer.</summary>
    public LlmTokenizer Tokenizer { get; }

    /// <summary>Requests per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>The token before documents and empty contexts, when there is one.</summary>
    public int? PrefixToken { get; }

    /// <summary>Tokens the model has read in forward passes since this scorer was made, padding excluded: the work
    /// behind a log-likelihood task's tokens per second.</summary>
    public long InputTokens { get; private set; }

    /// <summary>log p(continuation | context) for each pair, summed over the continuation's tokens.</summary>
    /// <param name="requests">Context and continuation texts.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public double[] ScoreContinuations(IReadOnlyList<(string Context, string Continuation)> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Score([.. requests.Select(r => ContinuationSequence(r.Context, r.Continuation))], cancellationToken);
    }

    /// <summary>The total log-likelihood of <paramref name="document"/> and the tokens it covers, scored in the
    /// harness's disjoint rolling windows of the model's block size.</summary>
    public (double LogLikelihood, int Tokens) ScoreDocument(string document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var windows = RollingWindows(Tokenizer.Encode(document), PrefixToken, Model.Config.BlockSize);
        return (Score(windows, cancellationToken).Sum(), windows.Sum(w => w.Scored));
    }

    /// <summary>The harness's <c>_encode_pair</c>: trailing white space of the context moves to the continuation, the
    /// whole text is encoded once and the continuation is what follows the context's own tokens, so the split is
    /// where the tokenizer would put it; then cut from the left to the block size + 1.</summary>
    internal ScoredSequence ContinuationSequence(string context, string continuation)
    {
        int spaces = context.Length - context.TrimEnd().Length;
        if (spaces > 0)
        {
            continuation = context[^spaces..] + continuation;
            context = context[..^spaces];
        }
        int[] whole = Tokenizer.Encode(context + continuation);
        int[] contextIds = Tokenizer.Encode(context);
        int[] continuationIds = whole[Math.Min(contextIds.Length, whole.Length)..];
        if (continuationIds.Length == 0)
            throw new ArgumentException($"The continuation '{continuation}' encodes to no tokens after its context.", nameof(continuation));
        if (contextIds.Length == 0)
        {
            if (PrefixToken is not { } prefix)
                throw new ArgumentException("An empty context needs a prefix token (the tokenizer has no <|endoftext|>): nothing predicts the first token.", nameof(context));
            contextIds = [prefix];
        }
        int[] sequence = [.. contextIds, .. continuationIds];
        int keep = Math.Min(sequence.Length, Model.Config.BlockSize + 1);
        return new ScoredSequence(sequence[^keep..], Math.Min(continuationIds.Length, keep - 1));
    }

    /// <summary>The harness's <c>get_rolling_token_windows</c> with context length 1, made disjoint: the first
    /// window predicts the first block-size tokens after the prefix token; each next one predicts the following
    /// tokens with as much of the preceding text as fits as context. Every token is predicted exactly once (all but
    /// the first when there is no prefix token).</summary>
    internal static IReadOnlyList<ScoredSequence> RollingWindows(int[] tokens, int? prefixToken, int blockSize)
    {
        var windows = new List<ScoredSequence>();
        if (tokens.Length == 0 || tokens.Length == 1 && prefixToken is null)
            return windows;
        int[] all = prefixToken is { } prefix ? [prefix, .. tokens] : tokens;
        // all[i + 1] is predicted from all[..(i + 1)]; targets run from all[1] to the end.
        int predicted = 0, targets = all.Length - 1;
        while (predicted < targets)
        {
            int count = Math.Min(blockSize, targets - predicted);
            int end = predicted + count + 1; // exclusive end in 'all' of the last target
            int start = Math.Max(0, end - blockSize - 1);
            windows.Add(new ScoredSequence(all[start..end], count));
            predicted += count;
        }
        return windows;
    }

    /// <summary>Sums log p over the scored tail of every sequence, batched longest first.</summary>
    internal double[] Score(IReadOnlyList<ScoredSequence> sequences, CancellationToken cancellationToken)
    {
        var scores = new double[sequences.Count];
        int[] order = [.. Enumerable.Range(0, sequences.Count).OrderByDescending(i => sequences[i].Ids.Length).ThenBy(i => i)];
        bool wasTraining = Model.training;
        Model.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int[] batch = order[start..Math.Min(order.Length, start + BatchSize)];
                double[] sums = ScoreBatch([.. batch.Select(i => sequences[i])]);
                for (int b = 0; b < batch.Length; b++)
                    scores[batch[b]] = sums[b];
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        return scores;
    }

    double[] ScoreBatch(IReadOnlyList<ScoredSequence> batch)
    {
        using var scope = NewDisposeScope();
        int time = batch.Max(s => s.Ids.Length) - 1;
        InputTokens += batch.Sum(s => (long)s.Ids.Length - 1);
        var inputs = new long[batch.Count * time];
        var targets = new long[batch.Count * time];
        Array.Fill(targets, -1L);
        for (int b = 0; b < batch.Count; b++)
        {
            var (ids, scored) = batch[b];
            for (int t = 0; t < ids.Length - 1; t++)
            {
                inputs[b * time + t] = ids[t];
                if (t >= ids.Length - 1 - scored)
                    targets[b * time + t] = ids[t + 1];
            }
        }
        var device = Model.Device;
        var x = tensor(inputs, [batch.Count, time]).to(device);
        var y = tensor(targets, [batch.Count, time]).to(device);
        var logProbs = nn.functional.log_softmax(Model.Logits(x).to_type(ScalarType.Float32), dim: -1);
        var mask = y.ge(0);
        var picked = logProbs.gather(-1, y.clamp_min(0).unsqueeze(-1)).squeeze(-1).masked_fill(mask.logical_not(), 0);
        var sums = picked.to_type(ScalarType.Float64).sum(1).cpu();
        return sums.data<double>().ToArray();
    }
}
