using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class GopherRepetitionFilterTests
{
    static (string? Rule, string? Detail) Run(string text, GopherRepetitionConfig? config = null)
    {
        var recorder = new StepRecorder();
        var kept = new GopherRepetitionFilter(config).Apply(new Document("d", text, "t"), recorder);
        Assert.Equal(kept is null, recorder.RemovedBy is not null);
        return (recorder.RemovedBy, recorder.Detail);
    }

    [Fact]
    public void Defaults_are_table_a1()
    {
        var c = new GopherRepetitionConfig();
        Assert.Equal((0.3, 0.3, 0.2, 0.2), (c.DuplicateLineFraction, c.DuplicateParagraphFraction, c.DuplicateLineCharFraction, c.DuplicateParagraphCharFraction));
        Assert.Equal(new Dictionary<int, double> { [2] = 0.20, [3] = 0.18, [4] = 0.16 }, c.TopNGramCharFractions);
        Assert.Equal(new Dictionary<int, double> { [5] = 0.15, [6] = 0.14, [7] = 0.13, [8] = 0.12, [9] = 0.11, [10] = 0.10 }, c.DuplicateNGramCharFractions);
    }

    [Fact]
    public void Varied_text_is_kept()
    {
        string text = "The committee met in the spring to review the budget and to plan the work of the coming year.\n\n" +
            "Members agreed that the library should open longer hours, that the roads needed repair, and that the " +
            "school would have new books.\n\nThey thanked the volunteers for their help with the fair and closed the " +
            "meeting with a short statement about the harvest.";
        Assert.Equal((null, null), Run(text));
    }

    [Fact]
    public void The_top_n_gram_counts_even_once_so_very_short_texts_fail_as_in_datatrove()
    {
        // 6 words, 39 characters, no repeats: the longest 2-gram ("bravo charlie", 13 characters, once) is 0.333 > 0.2.
        // Such texts are the quality filter's to remove (fewer than 50 words) before this rule matters.
        Assert.Equal(("repetition:top_2_gram", "top 2-gram character fraction 0.333 > 0.2"), Run("Alpha bravo charlie delta echo foxtrot."));
    }

    [Fact]
    public void Repeated_paragraphs_are_caught_first()
    {
        // 4 paragraphs, 2 repeat an earlier one: 0.5 > 0.3.
        string text = "Buy now and save.\n\nBuy now and save.\n\nOne offer only.\n\nBuy now and save.";
        Assert.Equal(("repetition:dup_para_frac", "duplicate paragraph fraction 0.5 > 0.3"), Run(text));
    }

    [Fact]
    public void Repeated_line_characters_are_caught()
    {
        // 10 distinct lines and one long line repeated once: 1 of 12 lines, but 40 of 276 characters.
        var lines = Enumerable.Range(0, 10).Select(i => $"line number {i} says a thing.").ToList();
        string repeated = "this long line is repeated exactly once!";
        string text = string.Join('\n', [repeated, .. lines, repeated]);
        var config = new GopherRepetitionConfig { DuplicateLineCharFraction = 0.1 };
        Assert.Equal(("repetition:dup_line_char_frac", $"duplicate line character fraction {Math.Round(40.0 / text.Length, 3).ToString(System.Globalization.CultureInfo.InvariantCulture)} > 0.1"), Run(text, config));
    }

    [Fact]
    public void Top_n_gram_counts_the_spaces_inside_it_and_its_occurrences()
    {
        string[] words = ["a", "b", "a", "b", "a", "b", "c"];
        Assert.Equal(9, GopherRepetitionFilter.TopNGramChars(words, 2)); // "a b" ×3
        Assert.Equal(10, GopherRepetitionFilter.TopNGramChars(words, 3)); // "a b a" ×2
    }

    [Fact]
    public void Duplicated_n_grams_are_counted_without_overlap_as_datatrove_does()
    {
        // "x y" first at 0; at 2 "x y" repeats (2 chars, jump to 4); at 4 "x y" repeats (2 chars, jump to 6); end.
        Assert.Equal(4, GopherRepetitionFilter.DuplicateNGramChars(["x", "y", "x", "y", "x", "y"], 2));
        // A run of one word: "aa aa" seen at 0, repeats at 1 (4 chars, jump to 3), repeats at 3 (4, jump to 5).
        Assert.Equal(8, GopherRepetitionFilter.DuplicateNGramChars(["aa", "aa", "aa", "aa", "aa", "aa"], 2));
        Assert.Equal(0, GopherRepetitionFilter.DuplicateNGramChars(["a", "b", "c", "d"], 2));
    }

    [Fact]
    public void A_copied_passage_passes_the_five_gram_rule_and_trips_the_six_gram_rule()
    {
        // 300 characters; the 14-word passage repeats. Scanning 5-grams, the repeat is found at "we", jumps 5 words,
        // and so on: 39 characters (0.13, under 0.15). 6-grams: "we hold these truths to be" + "self evident that all
        // men are" + "created" ... = 45 characters, 0.15 > 0.14.
        string passage = "we hold these truths to be self evident that all men are created equal";
        string text = $"The preamble comes first and sets the scene for readers. {passage}. Then another remark follows with new words entirely. {passage}. The end arrives with a closing line of thanks.";
        Assert.Equal(300, text.Length);
        Assert.Equal(("repetition:dup_6_gram", "duplicated 6-gram character fraction 0.15 > 0.14"), Run(text));
    }
}
