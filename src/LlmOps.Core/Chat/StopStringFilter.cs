using System.Text;

namespace LlmOps.Core.Chat;

/// <summary>Cuts streamed text at the first stop string, character-exact, as hosted chat APIs do: text that might be
/// the start of a stop string is held back until it cannot be, so a stop string is never shown, even in part, and the
/// text before it is shown whole even when one token spans both (a token " banana" and the stop "nan" give " ba").</summary>
sealed class StopStringFilter(IReadOnlyList<string> stops)
{
    readonly StringBuilder pending = new();

    /// <summary>Whether a stop string was found; nothing more is released after it.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Takes the next piece of text; returns the text that may now be shown.</summary>
    public string Add(string text)
    {
        if (Stopped || text.Length == 0)
            return "";
        pending.Append(text);
        if (stops.Count == 0)
            return Take(pending.Length);
        // Text already released holds no stop and ends with no partial one, so a stop can only start in what is pending.
        string held = pending.ToString();
        int found = -1;
        foreach (string stop in stops)
        {
            int at = held.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (found < 0 || at < found))
                found = at;
        }
        if (found >= 0)
        {
            Stopped = true;
            string before = held[..found];
            pending.Clear();
            return before;
        }
        return Take(PartialStart(held));
    }

    /// <summary>Releases what is still held (generation ended without a stop).</summary>
    public string Flush() => Stopped ? "" : Take(pending.Length);

    string Take(int length)
    {
        string release = pending.ToString(0, length);
        pending.Remove(0, length);
        return release;
    }

    /// <summary>Where a stop string might be starting in <paramref name="text"/> (its tail is a proper prefix of one);
    /// the text's length when none is.</summary>
    int PartialStart(string text)
    {
        int longest = stops.Max(s => s.Length);
        for (int start = Math.Max(0, text.Length - longest + 1); start < text.Length; start++)
        {
            var tail = text.AsSpan(start);
            foreach (string stop in stops)
            {
                if (tail.Length < stop.Length && stop.AsSpan().StartsWith(tail, StringComparison.Ordinal))
                    return start;
            }
        }
        return text.Length;
    }
}
