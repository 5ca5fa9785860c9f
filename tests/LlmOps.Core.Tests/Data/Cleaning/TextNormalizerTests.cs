using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class TextNormalizerTests
{
    static (Document? Kept, StepRecorder Recorder) Run(Document document, TextNormalizerConfig? config = null)
    {
        var recorder = new StepRecorder();
        return (new TextNormalizer(config).Apply(document, recorder), recorder);
    }

    static Document Doc(string text, string? contentType = null) =>
        contentType is null ? new Document("d", text, "t") : new Document("d", text, "t", new Dictionary<string, string> { ["content_type"] = contentType });

    [Fact]
    public void Text_is_put_in_one_form_and_each_kind_of_change_is_counted()
    {
        string text = "\r\n\r\nCafe\u0301  au\t\tlait \r\n\u0007bell\u0000\r\n\r\n\r\n\r\n  indented\tkept\n\n\n";
        var (kept, recorder) = Run(Doc(text));

        Assert.Equal("Caf\u00E9 au lait\nbell\n\n indented\tkept", kept!.Text);
        Assert.Equal(new Dictionary<string, long>
        {
            ["normalize:nfc"] = 1,
            ["normalize:line_breaks"] = 7,
            ["normalize:control_chars"] = 2,
            ["normalize:spaces"] = 3,
            ["normalize:line_ends"] = 1,
            ["normalize:blank_lines"] = 7,
        }, recorder.Counters.ToDictionary());
    }

    [Fact]
    public void Clean_text_is_kept_as_the_same_instance()
    {
        var document = Doc("Already clean.\n\nTwo paragraphs.");
        var (kept, recorder) = Run(document);
        Assert.Same(document, kept);
        Assert.Empty(recorder.Counters);
    }

    [Fact]
    public void Html_is_converted_by_content_type_or_by_its_look()
    {
        var (byType, typeRecorder) = Run(Doc("Hello <i>there</i>", "text/html; charset=utf-8"));
        Assert.Equal("Hello there", byType!.Text);
        Assert.Equal(1, typeRecorder.Counters["normalize:html"]);

        Assert.Equal("Hi\nthere", Run(Doc("<html><body>Hi<br>there</body></html>")).Kept!.Text);
        Assert.Equal("One\n\nTwo", Run(Doc("<p>One</p><p>Two</p>")).Kept!.Text);

        // One quoted tag is text about HTML, not HTML; a declared plain-text type is never converted.
        Assert.Equal("Use the <br> tag.", Run(Doc("Use the <br> tag.")).Kept!.Text);
        Assert.Equal("<p>a</p><p>b</p>", Run(Doc("<p>a</p><p>b</p>", "text/plain")).Kept!.Text);
    }

    [Fact]
    public void A_document_left_empty_is_removed_with_the_reason()
    {
        var (kept, recorder) = Run(Doc(" \t\r\n\u0000\n"));
        Assert.Null(kept);
        Assert.Equal(("normalize:empty", "no text left after normalizing 6 characters"), (recorder.RemovedBy, recorder.Detail));

        var (_, html) = Run(Doc("<html><script>x()</script></html>"));
        Assert.Equal("normalize:empty", html.RemovedBy);
    }

    [Fact]
    public void Changes_switch_off()
    {
        var off = new TextNormalizerConfig { UnicodeNfc = false, StripControlCharacters = false, CollapseSpaces = false, TrimLineEnds = false, MaxBlankLines = null, StripHtml = false };
        string text = "a  b \n\n\n\u0007<p>x</p><p>y</p><br>";
        Assert.Equal(text, Run(Doc(text), off).Kept!.Text);
    }
}
