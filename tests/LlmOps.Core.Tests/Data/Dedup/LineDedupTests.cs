using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Dedup;

namespace LlmOps.Core.Tests.Data.Dedup;

public class LineDedupTests
{
    const string Footer =
        "_______________________________________________\n" +
        "Irish Linux Users' Group: ilug@linux.ie\n" +
        "http://www.linux.ie/mailman/listinfo/ilug for (un)subscription information.\n" +
        "List maintainer: listmaster@linux.ie\n";

    static (Document? Kept, StepRecorder Recorder) Run(LineDedup step, string id, string text)
    {
        var recorder = new StepRecorder();
        return (step.Apply(new Document(id, text, "mail"), recorder), recorder);
    }

    [Fact]
    public void A_repeated_list_footer_is_dropped_but_short_repeated_lines_stay()
    {
        var step = new LineDedup();
        string firstText = "Hi all,\nDoes anyone have the slides from last week's meeting?\nThanks,\nJohn\n" + Footer;
        var first = Run(step, "1", firstText);
        var second = Run(step, "2", "Hi all,\nThe mirror is back up after the disk was replaced today.\nThanks,\nMary\n" + Footer);

        Assert.Same(firstText, first.Kept!.Text); // nothing seen before: kept untouched
        Assert.Empty(first.Recorder.Counters);
        // The three long footer lines go; "Hi all,", "Thanks," and the underscore rule are short and stay.
        Assert.Equal(
            "Hi all,\nThe mirror is back up after the disk was replaced today.\nThanks,\nMary\n_______________________________________________\n",
            second.Kept!.Text);
        Assert.Equal(3, second.Recorder.Counters["lines-removed"]);
        Assert.Null(second.Recorder.RemovedBy);
    }

    [Fact]
    public void A_document_of_nothing_but_repeated_lines_is_removed_with_a_reason()
    {
        var step = new LineDedup(new LineDedupConfig(MinChars: 20));
        Run(step, "1", "Real message body that is long enough.\n" + Footer);
        var (kept, recorder) = Run(step, "2", "Irish Linux Users' Group: ilug@linux.ie\n\nList maintainer: listmaster@linux.ie\n");

        Assert.Null(kept);
        Assert.Equal(LineDedup.Rule, recorder.RemovedBy);
        Assert.Equal("all 2 non-blank lines repeat lines of earlier documents", recorder.Detail);
    }

    [Fact]
    public void With_a_higher_count_a_line_must_recur_in_that_many_earlier_documents()
    {
        var step = new LineDedup(new LineDedupConfig(SeenInDocuments: 2));
        string line = "This message was scanned for viruses by the mail gateway.";
        Assert.Empty(Run(step, "1", "one\n" + line).Recorder.Counters);
        Assert.Empty(Run(step, "2", "two\n" + line).Recorder.Counters);
        var third = Run(step, "3", "three\n" + line);

        Assert.Equal("three", third.Kept!.Text);
        Assert.Equal(1, third.Recorder.Counters["lines-removed"]);
    }

    [Fact]
    public void A_line_repeated_inside_one_document_only_is_kept()
    {
        var step = new LineDedup();
        string text = "> quoted line that is long enough to count here\n> quoted line that is long enough to count here\n";
        var (kept, recorder) = Run(step, "1", text);

        Assert.Same(text, kept!.Text);
        Assert.Empty(recorder.Counters);
    }
}
