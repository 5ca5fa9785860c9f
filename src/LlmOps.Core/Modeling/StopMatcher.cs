namespace LlmOps.Core.Modeling;

/// <summary>Watches generated tokens for stop sequences (ids or strings) and decides which tokens are safe to
/// release: a token that could be the start of a stop sequence is held back until it cannot, so stop sequences are
/// never shown, even when streaming.</summary>
sealed class StopMatcher(GenerationConfig config)
{
    readonly List<int> generated = [];
    int released;

    /// <summary>Takes the next token; returns the tokens that may now be shown, and whether generation stops.</summary>
    public (IReadOnlyList<int> Release, bool Stop) Add(int token)
    {
        generated.Add(token);
        foreach (var stop in config.StopTokenSequences)
        {
            if (EndsWith(stop))
                return (Take(generated.Count - stop.Count), true);
        }

        int keep = generated.Count - config.StopTokenSequences.Select(HeldBack).DefaultIfEmpty(0).Max();
        if (config.StopStrings.Count > 0)
        {
            string text = config.Decode!(generated);
            int found = config.StopStrings.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (found >= 0)
                return (Take(TokensBefore(found)), true);
            keep = Math.Min(keep, TokensBefore(PartialStart(text)));
        }
        return (Take(keep), false);
    }

    /// <summary>Releases whatever is still held back (generation ended without a stop).</summary>
    public IReadOnlyList<int> Flush() => Take(generated.Count);

    List<int> Take(int end)
    {
        end = Math.Max(end, released);
        var release = generated.GetRange(released, end - released);
        released = end;
        return release;
    }

    bool EndsWith(IReadOnlyList<int> stop)
    {
        if (stop.Count > generated.Count)
            return false;
        int start = generated.Count - stop.Count;
        for (int i = 0; i < stop.Count; i++)
        {
            if (generated[start + i] != stop[i])
                return false;
        }
        return true;
    }

    /// <summary>The longest tail of the generated tokens that is a proper prefix of <paramref name="stop"/>.</summary>
    int HeldBack(IReadOnlyList<int> stop)
    {
        for (int length = Math.Min(stop.Count - 1, generated.Count); length > 0; length--)
        {
            int start = generated.Count - length;
            bool match = true;
            for (int i = 0; i < length && match; i++)
                match = generated[start + i] == stop[i];
            if (match)
                return length;
        }
        return 0;
    }

    /// <summary>Where in <paramref name="text"/> a stop string might be starting (its tail is a proper prefix of
    /// one); the text's length when none is.</summary>
    int PartialStart(string text)
    {
        int longest = config.StopStrings.Max(s => s.Length);
        for (int j = Math.Max(0, text.Length - longest + 1); j < text.Length; j++)
        {
            var tail = text.AsSpan(j);
            foreach (var stop in config.StopStrings)
            {
                if (tail.Length < stop.Length && stop.AsSpan().StartsWith(tail, StringComparison.Ordinal))
                    return j;
            }
        }
        return text.Length;
    }

    /// <summary>The most generated tokens whose decoded text ends at or before character <paramref name="index"/>.</summary>
    int TokensBefore(int index)
    {
        for (int k = generated.Count; k > released; k--)
        {
            if (config.Decode!(generated.GetRange(0, k)).Length <= index)
                return k;
        }
        return released;
    }
}
