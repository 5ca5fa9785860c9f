using LlmOps.Core.Evaluation;

namespace LlmOps.Core.Tests.Evaluation;

public class EvalStatisticsTests
{
    [Fact]
    public void Bradley_terry_recovers_known_strengths_from_simulated_votes()
    {
        double[] truth = [1.0, 0.3, -0.2, -1.1]; // centred: the fit's geometric mean is 1, its logs sum to 0
        var random = new Random(7);
        var outcomes = new List<PairwiseOutcome>();
        for (int vote = 0; vote < 6000; vote++)
        {
            int i = random.Next(4), j = random.Next(3);
            if (j >= i)
                j++;
            bool iWins = random.NextDouble() < 1 / (1 + Math.Exp(truth[j] - truth[i]));
            outcomes.Add(iWins ? new(i, j) : new(j, i));
        }

        var scores = BradleyTerry.FitWithIntervals(["a", "b", "c", "d"], outcomes, resamples: 100, seed: 3);

        Assert.Equal(["a", "b", "c", "d"], scores.OrderByDescending(s => s.Score).Select(s => s.Name));
        for (int i = 0; i < 4; i++)
        {
            Assert.InRange(scores[i].Score, truth[i] - 0.12, truth[i] + 0.12);
            Assert.True(scores[i].Lower < scores[i].Score && scores[i].Score < scores[i].Upper, $"{scores[i]}");
            Assert.InRange(truth[i], scores[i].Lower, scores[i].Upper);
        }
        Assert.Equal(0, scores.Sum(s => s.Score), 9);
    }

    [Fact]
    public void Bradley_terry_of_two_players_is_the_log_odds_of_their_record()
    {
        // 30 wins to 10: p_a / p_b = 3 (with the tiny prior on both sides), so the scores are ±ln(3)/2.
        var outcomes = Enumerable.Repeat(new PairwiseOutcome(0, 1), 30).Concat(Enumerable.Repeat(new PairwiseOutcome(1, 0), 10)).ToList();

        double[] scores = BradleyTerry.Fit(2, outcomes);

        double expected = Math.Log((30 + BradleyTerry.Prior) / (10 + BradleyTerry.Prior)) / 2;
        Assert.Equal(expected, scores[0], 8);
        Assert.Equal(-expected, scores[1], 8);
    }

    [Fact]
    public void The_paired_bootstrap_interval_covers_a_known_difference_and_calls_it_significant()
    {
        var random = new Random(11);
        // The same items: B right where A is, A also right on 20% more items. True difference 0.2.
        double[] b = [.. Enumerable.Range(0, 1000).Select(_ => random.NextDouble() < 0.5 ? 1.0 : 0.0)];
        double[] a = [.. b.Select(x => x == 1 || random.NextDouble() < 0.4 ? 1.0 : 0.0)];

        var comparison = PairedBootstrap.Compare(a, b, resamples: 2000, seed: 5);

        Assert.InRange(0.2, comparison.Lower, comparison.Upper);
        Assert.Equal(a.Average() - b.Average(), comparison.Difference, 12);
        Assert.True(comparison.Significant, comparison.ToString());
        Assert.True(comparison.PValue < 0.01, comparison.ToString());
        Assert.Equal(comparison, PairedBootstrap.Compare(a, b, resamples: 2000, seed: 5)); // seeded
    }

    [Fact]
    public void A_zero_difference_is_not_significant()
    {
        var random = new Random(2);
        double[] a = [.. Enumerable.Range(0, 400).Select(_ => random.NextDouble() < 0.6 ? 1.0 : 0.0)];
        double[] b = [.. a.Reverse()]; // same accuracy, different items right

        var comparison = PairedBootstrap.Compare(a, b, resamples: 1000, seed: 1);

        Assert.Equal(0, comparison.Difference, 12);
        Assert.False(comparison.Significant, comparison.ToString());
        Assert.Equal(1, comparison.PValue);
        Assert.InRange(0, comparison.Lower, comparison.Upper);
    }

    [Fact]
    public void Unpaired_scores_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedBootstrap.Compare([1, 0], [1]));
        Assert.Contains("same items: 2 against 1", error.Message, StringComparison.Ordinal);
    }
}
