namespace LlmOps.Core.Tests.Data.Dedup;

/// <summary>Seeded random prose over a large made-up vocabulary, so shingles repeat only where a test puts them.</summary>
sealed class SyntheticText(int seed)
{
    readonly Random random = new(seed);

    public string[] Words(int count)
    {
        var words = new string[count];
        for (int i = 0; i < count; i++)
            words[i] = Word();
        return words;
    }

    public string Word()
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        int length = random.Next(3, 10);
        return string.Create(length, random, (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
                span[i] = letters[r.Next(letters.Length)];
        });
    }

    /// <summary>A copy of <paramref name="words"/> with <paramref name="changes"/> distinct positions replaced by new words.</summary>
    public string[] WithChanges(string[] words, int changes)
    {
        var copy = (string[])words.Clone();
        foreach (int position in Enumerable.Range(0, words.Length).OrderBy(_ => random.Next()).Take(changes))
            copy[position] = Word() + "x"; // the suffix guarantees it differs from the word it replaces
        return copy;
    }

    public int Next(int maxValue) => random.Next(maxValue);
}
