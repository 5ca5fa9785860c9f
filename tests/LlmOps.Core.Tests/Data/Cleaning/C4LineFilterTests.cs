using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class C4LineFilterTests
{
    static (Document? Kept, StepRecorder Recorder) Run(string text, C4LineConfig? config = null)
    {
        var recorder = new StepRecorder();
        return (new C4LineFilter(config).Apply(new Document("d", text, "t"), recorder), recorder);
    }

    [Fact]
    public void Lines_that_are_not_sentences_go_and_each_rule_is_counted()
    {
        string text = string.Join('\n',
            "Home | About | Contact",
            "This page is a guide to the town.",
            "Please enable JavaScript to view the map.",
            "We use cookies to improve your visit. See our privacy policy.",
            "Too short.",
            "  The market opens at eight on Saturdays.  ",
            "Read more...",
            "It was founded in 1820.[1] The mill came later.[citation needed]",
            "Visitors say it is the best fair in the county!",
            "The bridge was rebuilt twice, in 1901 and 1955.",
            "",
            "word " + new string('x', 1001) + " ends here.");

        var (kept, recorder) = Run(text);

        Assert.Equal(string.Join('\n',
            "This page is a guide to the town.",
            "The market opens at eight on Saturdays.",
            "It was founded in 1820. The mill came later.",
            "Visitors say it is the best fair in the county!",
            "The bridge was rebuilt twice, in 1901 and 1955."), kept!.Text);
        Assert.Equal(new Dictionary<string, long>
        {
            ["c4:lines_no_terminal_punct"] = 3,
            ["c4:lines_javascript"] = 1,
            ["c4:lines_policy"] = 1,
            ["c4:lines_too_few_words"] = 1,
            ["c4:citations"] = 2,
            ["c4:lines_too_long_word"] = 1,
        }, recorder.Counters.ToDictionary());
    }

    [Fact]
    public void Fewer_than_five_sentences_remove_the_document()
    {
        var (kept, recorder) = Run("The first one is here.\nThe second one is here.\nMr. Smith wrote the third. And a fourth!");
        Assert.Null(kept);
        Assert.Equal(("c4:too_few_sentences", "4 sentences in 3 kept lines < 5"), (recorder.RemovedBy, recorder.Detail));
    }

    [Fact]
    public void Lorem_ipsum_and_curly_brackets_remove_the_document()
    {
        var (_, lorem) = Run("Lorem ipsum dolor sit amet, consectetur.");
        Assert.Equal(("c4:lorem_ipsum", "\"lorem ipsum\" in: Lorem ipsum dolor sit amet, consectetur."), (lorem.RemovedBy, lorem.Detail));

        var (_, curly) = Run("The function is f(x) { return x; } here.");
        Assert.Equal("c4:curly_bracket", curly.RemovedBy);

        // As in TFDS and datatrove, a bracket on a line already dropped (no terminal punctuation) does not count.
        string fine = "a { b\nOne two three.\nFour five six.\nSeven eight nine.\nTen eleven twelve.\nThirteen fourteen fifteen.";
        Assert.NotNull(Run(fine).Kept);
        Assert.Null(Run(fine, new C4LineConfig { MinSentences = 6 }).Kept);
    }

    [Fact]
    public void Rules_switch_off()
    {
        var off = new C4LineConfig { DropLinesWithoutTerminalPunctuation = false, MinWordsPerLine = null, MinSentences = null, RemoveDocumentWithCurlyBracket = false };
        var (kept, _) = Run("Menu\nx { y", off);
        Assert.Equal("Menu\nx { y", kept!.Text);
    }

    [Fact]
    public void Sentences_end_at_terminal_punctuation_but_not_after_titles_or_initials()
    {
        Assert.Equal(["Mr. Smith met J. Doe at 3.30 today.", "\"Really?!\"", "she asked.", "Yes"],
            TextUnits.Sentences("Mr. Smith met J. Doe at 3.30 today. \"Really?!\" she asked. Yes"));
        Assert.Empty(TextUnits.Sentences("  "));
    }
}
