using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Dedup;

namespace LlmOps.Core.Tests.Data.Dedup;

public class NearDedupTests
{
    static (Document? Kept, StepRecorder Recorder) Run(NearDedup step, Document document)
    {
        var recorder = new StepRecorder();
        return (step.Apply(document, recorder), recorder);
    }

    [Fact]
    public void A_near_identical_later_document_is_removed_naming_the_first_and_the_estimate()
    {
        var text = new SyntheticText(5);
        string[] words = text.Words(200);
        var step = new NearDedup();

        var first = Run(step, new Document("list/1", string.Join(' ', words), "mail"));
        var unrelated = Run(step, new Document("list/2", string.Join(' ', text.Words(200)), "mail"));
        var copy = Run(step, new Document("list/3", string.Join(' ', text.WithChanges(words, 1)), "mail"));

        Assert.NotNull(first.Kept);
        Assert.NotNull(unrelated.Kept);
        Assert.Null(copy.Kept);
        Assert.Equal(NearDedup.Rule, copy.Recorder.RemovedBy);
        Assert.Matches(@"^near duplicate of list/1 \(Jaccard (0\.[89]\d|1\.00)\)$", copy.Recorder.Detail);
        Assert.Equal(2, step.KeptCount);
    }

    [Fact]
    public void Unrelated_documents_are_all_kept()
    {
        var text = new SyntheticText(9);
        var step = new NearDedup();
        for (int i = 0; i < 200; i++)
            Assert.NotNull(Run(step, new Document($"d{i}", string.Join(' ', text.Words(150)), "s")).Kept);
    }

    [Fact]
    public void A_pair_below_the_threshold_collides_in_a_band_but_verification_keeps_it()
    {
        // J ≈ 0.65 collides in some band with probability ~0.6 over many tries; verification must keep all of them.
        var text = new SyntheticText(21);
        int collided = 0;
        for (int trial = 0; trial < 20; trial++)
        {
            string[] shared = text.Words(300);
            string a = string.Join(' ', shared.Concat(text.Words(80)));
            string b = string.Join(' ', text.Words(80).Concat(shared));
            var verified = new NearDedup();
            var unverified = new NearDedup(new MinHashConfig(Verify: MinHashVerification.None));
            Run(verified, new Document("a", a, "s"));
            Run(unverified, new Document("a", a, "s"));
            var (kept, recorder) = Run(verified, new Document("b", b, "s"));
            Assert.NotNull(kept);
            Assert.True(recorder.Counters.GetValueOrDefault("lsh-candidates") <= 1);
            if (Run(unverified, new Document("b", b, "s")).Kept is null)
                collided++;
        }
        Assert.True(collided > 0, "no trial collided, so the test did not exercise verification");
    }

    [Fact]
    public void Streaming_and_parallel_batch_make_exactly_the_same_decisions()
    {
        var documents = Corpus(seed: 77, count: 400);
        var streaming = new NearDedup();
        var streamed = documents.Select(d =>
        {
            var (kept, recorder) = Run(streaming, d);
            return (d.Id, Removed: kept is null, recorder.Detail);
        }).ToList();

        var batched = new NearDedup().ApplyBatch(documents, maxDegreeOfParallelism: 4)
            .Select(d => (d.Id, d.Removed, d.Detail)).ToList();

        Assert.Equal(streamed, batched);
        Assert.InRange(streamed.Count(d => d.Removed), 50, 350); // the corpus really has duplicates to find
    }

    [Fact]
    public void Only_kept_documents_are_matched_so_the_first_of_a_group_is_named()
    {
        var text = new SyntheticText(8);
        string[] words = text.Words(300);
        var step = new NearDedup();
        Run(step, new Document("original", string.Join(' ', words), "s"));
        var second = Run(step, new Document("second", string.Join(' ', text.WithChanges(words, 2)), "s"));
        var third = Run(step, new Document("third", string.Join(' ', text.WithChanges(words, 3)), "s"));

        Assert.StartsWith("near duplicate of original ", second.Recorder.Detail);
        Assert.StartsWith("near duplicate of original ", third.Recorder.Detail);
    }

    /// <summary>Originals, exact copies and lightly edited copies, shuffled deterministically.</summary>
    internal static List<Document> Corpus(int seed, int count)
    {
        var text = new SyntheticText(seed);
        var originals = new List<string[]>();
        var documents = new List<Document>();
        for (int i = 0; i < count; i++)
        {
            string[] words;
            int kind = text.Next(3);
            if (originals.Count == 0 || kind == 0)
                originals.Add(words = text.Words(50 + text.Next(250)));
            else if (kind == 1)
                words = originals[text.Next(originals.Count)];
            else
                words = text.WithChanges(originals[text.Next(originals.Count)], 1 + text.Next(12));
            documents.Add(new Document($"doc{i}", string.Join(' ', words), "synthetic"));
        }
        return documents;
    }
}
