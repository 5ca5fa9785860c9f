using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class GopherQualityFilterTests
{
    // 62 words of plain prose: passes every rule with the defaults.
    const string Prose =
        "The committee met in the spring to review the budget and to plan the work of the coming year. " +
        "Members agreed that the library should open longer hours, that the roads needed repair, and that the " +
        "school would have new books. They thanked the volunteers for their help with the fair and closed the " +
        "meeting with a short statement about the harvest.";

    static (Document? Kept, StepRecorder Recorder) Run(string text, GopherQualityConfig? config = null)
    {
        var recorder = new StepRecorder();
        return (new GopherQualityFilter(config).Apply(new Document("d", text, "t"), recorder), recorder);
    }

    [Fact]
    public void Defaults_are_the_published_gopher_thresholds()
    {
        var c = new GopherQualityConfig();
        Assert.Equal((50, 100_000, 3.0, 10.0, 0.1, 0.9, 0.3, 0.8, 2),
            (c.MinWords, c.MaxWords, c.MinMeanWordLength, c.MaxMeanWordLength, c.MaxSymbolWordRatio, c.MaxBulletLineFraction,
             c.MaxEllipsisLineFraction, c.MinAlphabeticWordFraction, c.MinStopWords));
        Assert.Equal(["the", "be", "to", "of", "and", "that", "have", "with"], c.StopWords);
    }

    [Fact]
    public void Prose_is_kept_unchanged()
    {
        var (kept, recorder) = Run(Prose);
        Assert.Equal(Prose, kept!.Text);
        Assert.Null(recorder.RemovedBy);
    }

    [Theory]
    [InlineData("the cat and the dog", "gopher:min_words", "5 words < 50")]
    public void Short_documents_are_removed(string text, string rule, string detail)
    {
        var (kept, recorder) = Run(text);
        Assert.Null(kept);
        Assert.Equal((rule, detail), (recorder.RemovedBy, recorder.Detail));
    }

    [Fact]
    public void Each_rule_names_itself_with_the_measured_value_and_bound()
    {
        string shortWords = string.Join(' ', Enumerable.Repeat("a to be of it", 12)); // 60 words, mean 9/5
        Assert.Equal(("gopher:mean_word_length", "mean word length 1.8 < 3"), Removal(shortWords));

        string longWords = string.Join(' ', Enumerable.Repeat("the internationalization", 30)); // mean (3+20)/2
        Assert.Equal(("gopher:mean_word_length", "mean word length 11.5 > 10"), Removal(longWords));

        string hashes = Prose + " #tag #two #three #four #five #six #seven"; // 7 hashes / 69 words
        Assert.Equal(("gopher:hash_ratio", "# to word ratio 0.101 > 0.1"), Removal(hashes));

        string ellipses = Prose + " wait... and... then... so... well... um... er…"; // 7 / 69
        Assert.Equal(("gopher:ellipsis_ratio", "ellipsis to word ratio 0.101 > 0.1"), Removal(ellipses));

        string bullets = string.Join('\n', Enumerable.Range(0, 10).Select(i => $"- the item {i} and that with the store"));
        Assert.Equal(("gopher:bullet_lines", "fraction of lines starting with a bullet 1 > 0.9"), Removal(bullets));

        string trailing = string.Join('\n', Enumerable.Range(0, 10).Select(i => i < 4 ? $"the story {i} and that went on and on..." : $"the story {i} and that went on and on."));
        Assert.Equal(("gopher:ellipsis_lines", "fraction of lines ending with an ellipsis 0.4 > 0.3"), Removal(trailing));

        string numbers = Prose + " " + string.Join(' ', Enumerable.Range(1000, 20)); // 20 of 82 words lack a letter
        Assert.Equal(("gopher:alpha_words", "fraction of words with a letter 0.756 < 0.8"), Removal(numbers));

        string noStopWords = string.Join(' ', Enumerable.Repeat("Cats chase mice; birds eat seeds, The dogs sleep.", 8));
        Assert.Equal(("gopher:stop_words", "1 distinct stop words (the) < 2"), Removal(noStopWords));
    }

    [Fact]
    public void Every_rule_can_be_switched_off()
    {
        var off = new GopherQualityConfig { MinWords = null, MinStopWords = null };
        Assert.Null(Run("the cat and the dog", new GopherQualityConfig { MinWords = 5, MinStopWords = 3 }).Kept);
        Assert.NotNull(Run("cat dog bird", off).Kept);
    }

    static (string?, string?) Removal(string text)
    {
        var (kept, recorder) = Run(text);
        Assert.Null(kept);
        return (recorder.RemovedBy, recorder.Detail);
    }
}
