using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class DetoxTests
{
    static Detox Step(DetoxMode mode = DetoxMode.RemoveDocument, int minHits = 1, params string[] terms) =>
        new(new DetoxConfig { Terms = terms.Length > 0 ? terms : ["ass", "damn", "son of a bitch", "bitch"], Mode = mode, MinHits = minHits });

    [Theory]
    [InlineData("The class read about an assassin; the grass was passable.", 0)]
    [InlineData("Assessment of the bass section.", 0)]
    [InlineData("What an ass.", 1)]
    [InlineData("ASS! Ass, (ass) ass's", 4)]
    [InlineData("damned if you do; damn_it is one word; damn2 too", 0)]
    public void Terms_match_whole_words_only_in_any_case(string text, int hits) =>
        Assert.Equal(hits, Step().Find(text).Count);

    [Fact]
    public void Phrases_match_across_any_whitespace_and_win_over_the_words_inside_them()
    {
        var hits = Step().Find("You son of\na  bitch, said the bitch.");
        Assert.Equal([new DetoxHit(4, 15, "son of a bitch"), new DetoxHit(30, 5, "bitch")], hits);
    }

    [Fact]
    public void Mask_replaces_each_hit_and_counts_per_term()
    {
        var recorder = new StepRecorder();
        var kept = Step(DetoxMode.Mask).Apply(new Document("d", "Damn, you son of a bitch: the class is an ass.", "t"), recorder);
        Assert.Equal("<MASKED>, you <MASKED>: the class is an <MASKED>.", kept!.Text);
        Assert.Equal(new Dictionary<string, long> { ["detox:damn"] = 1, ["detox:son of a bitch"] = 1, ["detox:ass"] = 1 }, recorder.Counters.ToDictionary());
    }

    [Fact]
    public void Remove_needs_min_hits_and_says_which_terms()
    {
        var step = Step(DetoxMode.RemoveDocument, minHits: 3);
        var once = new Document("a", "Damn, the class.", "t");
        Assert.Same(once, step.Apply(once, new StepRecorder()));

        var recorder = new StepRecorder();
        Assert.Null(step.Apply(new Document("b", "Damn. Damn! You ass.", "t"), recorder));
        Assert.Equal("detox:terms", recorder.RemovedBy);
        Assert.Equal("3 hits >= 3: damn ×2, ass", recorder.Detail);
    }

    [Fact]
    public void Terms_load_from_a_file_skipping_comments_blanks_and_duplicates()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-detox"), "terms.txt");
        File.WriteAllText(path, "# my list\n\nFoo\n  bar   baz  \nfoo\n#not this\n");
        Assert.Equal(["foo", "bar baz"], DetoxConfig.LoadTerms(path));
    }

    [Fact]
    public void The_shipped_english_list_is_embedded_and_equals_the_file_in_the_repo()
    {
        var english = DetoxConfig.English();
        Assert.Equal(DetoxConfig.LoadTerms(RepoPaths.Path("datasets", "detox", "en.txt")), english.Terms);
        Assert.Contains("son of a bitch", english.Terms);
        Assert.Empty(new Detox(english).Find("A classic assassin passes the Scunthorpe cocktail assessment."));
    }
}
