using LlmOps.Core.FineTuning;
using LlmOps.Core.Platform;

namespace LlmOps.Core.Alignment;

/// <summary>Training pairs as an endless stream of epochs, each a seeded shuffle of its own, so the stream depends only
/// on the seed and how many pairs were drawn (what the loop's exact resume needs). Shared by the preference trainers.</summary>
sealed class PairStream(IReadOnlyList<(SftSequence Chosen, SftSequence Rejected)> pairs, SeedScope seeds)
{
    int[] order = [];
    int epoch = -1;
    int position;

    /// <summary>The next <paramref name="count"/> pairs.</summary>
    public List<(SftSequence Chosen, SftSequence Rejected)> Next(int count)
    {
        var drawn = new List<(SftSequence, SftSequence)>(count);
        while (drawn.Count < count)
        {
            if (position >= order.Length)
            {
                epoch++;
                order = seeds.Shuffle(Enumerable.Range(0, pairs.Count), $"{SeedScope.DataOrder}-epoch-{epoch}");
                position = 0;
            }
            drawn.Add(pairs[order[position++]]);
        }
        return drawn;
    }
}
