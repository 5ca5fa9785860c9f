namespace LlmOps.Core.Modeling;

/// <summary>Watches generated tokens for token-id stop sequences and decides which tokens are safe to release: a token
/// that could be the start of a stop sequence is held back until it cannot, so stop sequences are never shown, even
/// when streaming. Work per token is bounded by the stop sequences' lengths, whatever the output's length. (Stop
/// strings are text and are cut on the decoded text by the one text filter, <c>Chat.StopStringFilter</c>.)</summary>
sealed class StopTokenMatcher(IReadOnlyList<IReadOnlyList<int>> stops)
{
    readonly List<int> generated = [];
    int released;

    /// <summary>Takes the next token; returns the tokens that may now be shown, and whether generation stops.</summary>
    public (IReadOnlyList<int> Release, bool Stop) Add(int token)
    {
        generated.Add(token);
        foreach (var stop in stops)
        {
            if (EndsWith(stop))
                return (Take(generated.Count - stop.Count), true);
        }
        return (Take(generated.Count - stops.Select(HeldBack).DefaultIfEmpty(0).Max()), false);
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
}
