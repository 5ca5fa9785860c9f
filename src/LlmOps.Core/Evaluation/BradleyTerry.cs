namespace LlmOps.Core.Evaluation;

/// <summary>Bradley-Terry strengths from pairwise outcomes, P(i beats j) = p_i / (p_i + p_j), fitted by Hunter's
/// minorization-maximization update (Hunter 2004, "MM algorithms for generalized Bradley-Terry models", eq. 3):
/// p_i = W_i / Σ_j n_ij / (p_i + p_j), renormalized each sweep. Intervals come from refitting on outcomes resampled
/// with replacement (as Chatbot Arena reports them).</summary>
public static class BradleyTerry
{
    /// <summary>Pseudo-wins given to each player against every opponent it met, in both directions: a player that
    /// never won (or never lost) otherwise has strength 0 (or infinity), which the MM fit cannot reach.</summary>
    public const double Prior = 0.01;

    /// <summary>The log strengths of <paramref name="players"/> players, centred on zero.</summary>
    public static double[] Fit(int players, IReadOnlyList<PairwiseOutcome> outcomes, int maxIterations = 10_000, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentOutOfRangeException.ThrowIfLessThan(players, 1);
        var wins = new double[players, players];
        foreach (var (winner, loser) in outcomes)
        {
            if ((uint)winner >= players || (uint)loser >= players || winner == loser)
                throw new ArgumentException($"Outcome {winner} beat {loser} is not between two of {players} players.", nameof(outcomes));
            wins[winner, loser]++;
        }
        for (int i = 0; i < players; i++)
            for (int j = i + 1; j < players; j++)
                if (wins[i, j] + wins[j, i] > 0)
                {
                    wins[i, j] += Prior;
                    wins[j, i] += Prior;
                }
        var strength = Enumerable.Repeat(1.0, players).ToArray();
        var next = new double[players];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            for (int i = 0; i < players; i++)
            {
                double won = 0, denominator = 0;
                for (int j = 0; j < players; j++)
                {
                    if (j == i)
                        continue;
                    won += wins[i, j];
                    double games = wins[i, j] + wins[j, i];
                    if (games > 0)
                        denominator += games / (strength[i] + strength[j]);
                }
                next[i] = denominator > 0 ? won / denominator : strength[i];
            }
            // Strengths are defined up to a factor: fix the geometric mean at 1.
            double logMean = next.Average(s => Math.Log(s));
            double change = 0;
            for (int i = 0; i < players; i++)
            {
                double value = next[i] / Math.Exp(logMean);
                change = Math.Max(change, Math.Abs(Math.Log(value) - Math.Log(strength[i])));
                strength[i] = value;
            }
            if (change < tolerance)
                break;
        }
        return [.. strength.Select(s => Math.Log(s))];
    }

    /// <summary>Fits <paramref name="names"/> and adds bootstrap 95% intervals from <paramref name="resamples"/> refits
    /// on outcomes drawn with replacement (seeded).</summary>
    public static IReadOnlyList<BradleyTerryScore> FitWithIntervals(IReadOnlyList<string> names, IReadOnlyList<PairwiseOutcome> outcomes,
        int resamples = 200, int seed = 1234)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(outcomes);
        double[] scores = Fit(names.Count, outcomes);
        if (outcomes.Count == 0)
            return [.. names.Select((name, i) => new BradleyTerryScore(name, scores[i], scores[i], scores[i]))];
        var samples = new double[names.Count][];
        for (int i = 0; i < names.Count; i++)
            samples[i] = new double[resamples];
        var random = new Random(seed);
        var drawn = new PairwiseOutcome[outcomes.Count];
        for (int r = 0; r < resamples; r++)
        {
            for (int k = 0; k < drawn.Length; k++)
                drawn[k] = outcomes[random.Next(outcomes.Count)];
            double[] refit = Fit(names.Count, drawn);
            for (int i = 0; i < names.Count; i++)
                samples[i][r] = refit[i];
        }
        return [.. names.Select((name, i) =>
        {
            Array.Sort(samples[i]);
            return new BradleyTerryScore(name, scores[i], PairedBootstrap.Percentile(samples[i], 0.025), PairedBootstrap.Percentile(samples[i], 0.975));
        })];
    }
}
