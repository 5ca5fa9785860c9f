using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Removes documents that repeat themselves, by the Gopher repetition rules, checked in datatrove's order:
/// paragraphs, lines, top n-grams, duplicated n-grams. Rule names: <c>repetition:dup_para_frac</c>,
/// <c>repetition:dup_para_char_frac</c>, <c>repetition:dup_line_frac</c>, <c>repetition:dup_line_char_frac</c>,
/// <c>repetition:top_{n}_gram</c>, <c>repetition:dup_{n}_gram</c>; the detail gives the measured fraction and bound.
/// <para>Counted as datatrove counts (so results compare): paragraphs are the trimmed text split at runs of two or more
/// line breaks, lines the text split at runs of line breaks; a duplicate is any element equal to an earlier one, and
/// its characters count every time it repeats. The top n-gram counts even when it occurs once. Duplicated n-grams are
/// found left to right: an n-gram seen before adds its characters (its words' lengths, without spaces) and the scan
/// jumps past it, so overlapping repeats are not counted twice; an unseen one is remembered and the scan moves one
/// word. Words are <see cref="TextUnits.Words"/>; n-grams are compared with their words separated, where datatrove
/// joins them with nothing (so "ab c" and "a bc" are not one n-gram here).</para>
/// </summary>
public sealed partial class GopherRepetitionFilter(GopherRepetitionConfig? config = null) : ICleaningStep
{
    readonly GopherRepetitionConfig config = config ?? new GopherRepetitionConfig();

    /// <inheritdoc />
    public string Name => "gopher-repetition";

    /// <inheritdoc />
    public object Config => config;

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        string text = document.Text.ReplaceLineEndings("\n");
        if (text.Trim().Length == 0)
            return document; // nothing repeats; emptiness is the normalizer's and quality filter's business
        double length = text.Length;

        string[] paragraphs = ParagraphBreak().Split(text.Trim());
        var (duplicateParagraphs, paragraphChars) = Duplicates(paragraphs);
        if (Above(config.DuplicateParagraphFraction, (double)duplicateParagraphs / paragraphs.Length, out string? detail))
            return recorder.Remove("repetition:dup_para_frac", $"duplicate paragraph fraction {detail}");
        if (Above(config.DuplicateParagraphCharFraction, paragraphChars / length, out detail))
            return recorder.Remove("repetition:dup_para_char_frac", $"duplicate paragraph character fraction {detail}");

        string[] lines = LineBreaks().Split(text);
        var (duplicateLines, lineChars) = Duplicates(lines);
        if (Above(config.DuplicateLineFraction, (double)duplicateLines / lines.Length, out detail))
            return recorder.Remove("repetition:dup_line_frac", $"duplicate line fraction {detail}");
        if (Above(config.DuplicateLineCharFraction, lineChars / length, out detail))
            return recorder.Remove("repetition:dup_line_char_frac", $"duplicate line character fraction {detail}");

        string[] words = TextUnits.Words(text);
        foreach (var (n, bound) in config.TopNGramCharFractions.OrderBy(p => p.Key))
        {
            if (words.Length < n)
                continue;
            if (Above(bound, TopNGramChars(words, n) / length, out detail))
                return recorder.Remove($"repetition:top_{n}_gram", $"top {n}-gram character fraction {detail}");
        }
        foreach (var (n, bound) in config.DuplicateNGramCharFractions.OrderBy(p => p.Key))
        {
            if (Above(bound, DuplicateNGramChars(words, n) / length, out detail))
                return recorder.Remove($"repetition:dup_{n}_gram", $"duplicated {n}-gram character fraction {detail}");
        }
        return document;
    }

    /// <summary>How many elements equal an earlier one, and their total length.</summary>
    static (int Count, int Chars) Duplicates(string[] elements)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int count = 0, chars = 0;
        foreach (string element in elements)
        {
            if (!seen.Add(element))
            {
                count++;
                chars += element.Length;
            }
        }
        return (count, chars);
    }

    /// <summary>The characters of the most frequent n-gram (words joined by single spaces) times its count.</summary>
    internal static int TopNGramChars(string[] words, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int best = 0;
        for (int i = 0; i + n <= words.Length; i++)
        {
            string gram = string.Join(' ', words, i, n);
            int count = counts.GetValueOrDefault(gram) + 1;
            counts[gram] = count;
            best = Math.Max(best, gram.Length * count);
        }
        return best;
    }

    /// <summary>The characters (word lengths, no spaces) of n-grams that repeat an earlier n-gram, without overlap.</summary>
    internal static int DuplicateNGramChars(string[] words, int n)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int chars = 0, i = 0;
        while (i + n <= words.Length)
        {
            string gram = string.Join(' ', words, i, n);
            if (seen.Add(gram))
            {
                i++;
            }
            else
            {
                chars += gram.Length - (n - 1);
                i += n;
            }
        }
        return chars;
    }

    static bool Above(double? bound, double value, out string? detail)
    {
        detail = bound is double b && value > b
            ? $"{value.ToString("0.###", CultureInfo.InvariantCulture)} > {b.ToString("0.###", CultureInfo.InvariantCulture)}"
            : null;
        return detail is not null;
    }

    [GeneratedRegex(@"\n{2,}")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"\n+")]
    private static partial Regex LineBreaks();
}
