using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class HtmlTextTests
{
    [Fact]
    public void Markup_becomes_the_text_a_reader_sees_with_blocks_as_line_breaks()
    {
        string html = """
            <!DOCTYPE html>
            <html><head><title>Offer</title><style>p { color: red }</style></head>
            <body>
              <!-- tracking pixel -->
              <h1>Big   news</h1>
              <p>Fish &amp; chips&nbsp;for <b>&pound;5</b>.<br>Today only.</p>
              <ul><li>one</li><li>two</li></ul>
              <table><tr><td>a</td><td>b</td></tr></table>
              <script type="text/javascript">var x = "<p>not text</p>";</script>
              <div>1 &lt; 2 &#38; 3 &gt; 2</div>
            </body></html>
            """;

        Assert.Equal("Big news\n\nFish & chips for £5.\nToday only.\n\none\ntwo\na b\n1 < 2 & 3 > 2", HtmlText.ToPlainText(html));
    }

    [Fact]
    public void Broken_markup_never_throws_and_text_angle_brackets_stay()
    {
        Assert.Equal("a < b and c", HtmlText.ToPlainText("a < b and c<!-- never closed"));
        Assert.Equal("before", HtmlText.ToPlainText("before<script>alert(1)"));
        Assert.Equal("link", HtmlText.ToPlainText("<a href=\"x?a=1&b=>2\">link</a>"));
    }

    [Fact]
    public void Two_br_make_a_blank_line_but_adjacent_block_tags_make_one_break()
    {
        Assert.Equal("Dear friend,\n\nWin now!\nReally.", HtmlText.ToPlainText("Dear friend,<br><br>Win now!<div><div>Really.</div></div>"));
    }
}
