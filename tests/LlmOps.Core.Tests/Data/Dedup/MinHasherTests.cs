using LlmOps.Core.Data.Dedup;

namespace LlmOps.Core.Tests.Data.Dedup;

public class MinHasherTests
{
    static readonly MinHasher Hasher = new(new MinHashConfig());

    [Fact]
    public void One_word_changed_in_200_stays_above_the_threshold_and_unrelated_texts_fall_far_below()
    {
        var text = new SyntheticText(11);
        string[] words = text.Words(200);
        string original = string.Join(' ', words);
        string edited = string.Join(' ', text.WithChanges(words, 1));
        string unrelated = string.Join(' ', text.Words(200));

        // One changed word touches the 5 shingles that contain it: 191 shared of 201, J ≈ 0.95.
        Assert.InRange(Hasher.Jaccard(original, edited), 0.94, 0.96);
        Assert.True(MinHasher.EstimatedJaccard(Hasher.Signature(original), Hasher.Signature(edited)) >= 0.8);
        Assert.Equal(0, Hasher.Jaccard(original, unrelated));
        Assert.True(MinHasher.EstimatedJaccard(Hasher.Signature(original), Hasher.Signature(unrelated)) < 0.1);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    [InlineData(0.95)]
    public void Estimated_jaccard_on_112_hashes_tracks_the_exact_value(double target)
    {
        // Pairs share a run of words and differ in the rest; the exact value is measured, not assumed.
        var text = new SyntheticText((int)(target * 1000));
        var errors = new List<double>();
        for (int pair = 0; pair < 3; pair++)
        {
            string[] shared = text.Words(300);
            // Distinct tails of t words each add about t shingles per side: J ≈ s / (s + 2t).
            int tail = (int)Math.Round(300 * (1 - target) / (2 * target));
            string a = string.Join(' ', shared.Concat(text.Words(tail)));
            string b = string.Join(' ', text.Words(tail).Concat(shared));
            double exact = Hasher.Jaccard(a, b);
            Assert.InRange(exact, target - 0.05, target + 0.05);
            double estimate = MinHasher.EstimatedJaccard(Hasher.Signature(a), Hasher.Signature(b));
            // The estimate's standard error is sqrt(J(1-J)/112) <= 0.047: one pair within 0.15 (over 3 sigma),
            // the mean of three within 0.1.
            Assert.InRange(estimate - exact, -0.15, 0.15);
            errors.Add(estimate - exact);
        }
        Assert.InRange(errors.Average(), -0.1, 0.1);
    }

    [Fact]
    public void The_same_seed_gives_the_same_signatures_in_fresh_instances_and_another_seed_does_not()
    {
        string text = string.Join(' ', new SyntheticText(3).Words(120));

        ulong[] first = new MinHasher(new MinHashConfig(Seed: 42)).Signature(text);
        ulong[] again = new MinHasher(new MinHashConfig(Seed: 42)).Signature(text);
        ulong[] other = new MinHasher(new MinHashConfig(Seed: 43)).Signature(text);

        Assert.Equal(112, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Signatures_are_pinned_so_they_match_across_processes_and_machines()
    {
        // Golden values: a hash that varied per process (string.GetHashCode) or per machine would change them, and
        // signatures stored by one run could no longer be compared with another's.
        ulong[] signature = new MinHasher(new MinHashConfig()).Signature("The quick brown fox jumps over the lazy dog, twice over.");

        Assert.Equal(GoldenPrefix, signature[..4]);
    }

    static readonly ulong[] GoldenPrefix = [235431583692770966, 89222614986827469, 125928205786255727, 212105454600826238];

    [Fact]
    public void Texts_shorter_than_a_shingle_are_one_shingle_of_all_their_words()
    {
        Assert.Single(Hasher.Shingles("Thanks, John"));
        Assert.Equal(1.0, Hasher.Jaccard("Thanks, John", "thanks john!"));
        Assert.Equal(0.0, Hasher.Jaccard("Thanks, John", "Thanks, Mary"));
        Assert.Equal(Hasher.Signature("Thanks, John"), Hasher.Signature("THANKS john"));
    }

    [Fact]
    public void Shingles_are_word_five_grams_of_the_normal_form()
    {
        // 7 words give 3 five-word windows; case and punctuation do not matter.
        Assert.Equal(3, Hasher.Shingles("one two three four five six seven").Length);
        Assert.Equal(Hasher.Shingles("One, two; three four five six SEVEN."), Hasher.Shingles("one two three four five six seven"));
        // Repeated windows count once in the set.
        Assert.Single(Hasher.Shingles("a a a a a a a a a"));
    }
}
