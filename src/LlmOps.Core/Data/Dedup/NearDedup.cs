using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Data.Dedup;

/// <summary>
/// Streaming MinHash LSH near-duplicate removal: a document whose signature shares an LSH band with an earlier kept
/// document, and whose Jaccard with it (exact or estimated, as <see cref="MinHashConfig.Verify"/> says) reaches
/// <see cref="MinHashConfig.Threshold"/>, is removed; otherwise it is kept and indexed. Only kept documents are indexed,
/// so a chain of small edits cannot remove a document through a document that was itself removed; the first of each
/// near-duplicate group survives, as in corpus order. Memory: one signature (8 bytes × hashes) per kept document, plus
/// its shingle hashes with exact verification.
/// <see cref="ApplyBatch"/> signs documents in parallel, then runs the same sequential pass, so it decides exactly as
/// <see cref="Apply"/> would, document by document.
/// </summary>
public sealed class NearDedup : ICleaningStep
{
    /// <summary>The rule named in the rejects file.</summary>
    public const string Rule = "near-dedup:minhash";

    readonly MinHashConfig config;
    readonly MinHasher hasher;
    readonly LshIndex index;
    readonly List<string> keptIds = [];
    readonly List<ulong[]> keptSignatures = [];
    readonly List<ulong[]> keptShingles = [];

    /// <summary>Creates the step; the default config is FineWeb's (5-grams, 14 bands × 8 rows, threshold 0.8).</summary>
    public NearDedup(MinHashConfig? config = null)
    {
        this.config = config ?? new MinHashConfig();
        hasher = new MinHasher(this.config);
        index = new LshIndex(this.config.Bands, this.config.RowsPerBand);
    }

    /// <inheritdoc />
    public string Name => "near-dedup";

    /// <inheritdoc />
    public object Config => config;

    /// <summary>The signer, shared so callers compare against the same shingles and hash functions.</summary>
    public MinHasher Hasher => hasher;

    /// <summary>How many documents were kept (and indexed) so far.</summary>
    public int KeptCount => keptIds.Count;

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        var decision = Decide(document.Id, hasher.Signature(document.Text), Exact ? hasher.Shingles(document.Text) : null);
        recorder.Count("lsh-candidates", decision.Candidates);
        return decision.Removed ? recorder.Remove(Rule, decision.Detail!) : document;
    }

    /// <summary>Decides a whole batch, continuing from whatever this instance has already seen: signatures are
    /// computed on all cores (the expensive part), then documents are decided one by one in order.</summary>
    /// <param name="documents">The documents, in corpus order.</param>
    /// <param name="maxDegreeOfParallelism">Threads for signing; null uses every core.</param>
    public IReadOnlyList<NearDedupDecision> ApplyBatch(IReadOnlyList<Document> documents, int? maxDegreeOfParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var signatures = new ulong[documents.Count][];
        var shingles = new ulong[documents.Count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 };
        Parallel.For(0, documents.Count, options, i =>
        {
            signatures[i] = hasher.Signature(documents[i].Text);
            if (Exact)
                shingles[i] = hasher.Shingles(documents[i].Text);
        });
        var decisions = new NearDedupDecision[documents.Count];
        for (int i = 0; i < documents.Count; i++)
            decisions[i] = Decide(documents[i].Id, signatures[i], shingles[i]);
        return decisions;
    }

    bool Exact => config.Verify == MinHashVerification.Exact;

    /// <summary>The one sequential decision both paths share: the best-matching earlier kept candidate (highest
    /// Jaccard, exact or estimated; earliest on ties) removes the document when it passes; otherwise the document is
    /// indexed.</summary>
    NearDedupDecision Decide(string id, ulong[] signature, ulong[]? shingles)
    {
        var candidates = index.Candidates(signature);
        int best = -1;
        double bestJaccard = -1;
        foreach (int candidate in candidates)
        {
            double similarity = Exact
                ? MinHasher.Jaccard(shingles!, keptShingles[candidate])
                : MinHasher.EstimatedJaccard(signature, keptSignatures[candidate]);
            if (similarity > bestJaccard)
            {
                best = candidate;
                bestJaccard = similarity;
            }
        }
        if (best >= 0 && (config.Verify == MinHashVerification.None || bestJaccard >= config.Threshold))
            return new NearDedupDecision(id, keptIds[best], bestJaccard, Exact, candidates.Count);

        index.Insert(keptIds.Count, signature);
        keptIds.Add(id);
        keptSignatures.Add(signature);
        if (Exact)
            keptShingles.Add(shingles!);
        return new NearDedupDecision(id, null, null, Exact, candidates.Count);
    }
}
