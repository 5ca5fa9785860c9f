using LlmOps.Core.Tokenization;
using LlmOps.Interactive.Formatting;
using LlmOps.Interactive.Kernel;

namespace LlmOps.Interactive.Tests.Formatting;

public class TokenHtmlTests
{
    static readonly Microsoft.ML.Tokenizers.Tokenizer O200k = TokenizerFactory.ForEncoding("o200k_base");

    static string Html(object value, RenderContext context) => MimeRenderer.Render(value, context).Single(b => b.Key == "text/html").Value;

    [Fact]
    public void Token_text_is_escaped_and_whitespace_is_visible()
    {
        var view = TokenView.Of(O200k, "o200k_base", "Say <b>hi</b> & go\nnow");
        var bundle = MimeRenderer.Render(view, new RenderContext());
        string html = bundle.Single(b => b.Key == "text/html").Value;

        Assert.Equal("text/plain", bundle[0].Key);
        Assert.Contains("o200k_base: ", bundle[0].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
        Assert.Contains("&amp;", html, StringComparison.Ordinal);
        string shown = System.Net.WebUtility.HtmlDecode(html); // non-ASCII text is written as character references
        Assert.Contains(">·", shown, StringComparison.Ordinal);
        Assert.Contains("↵<br>", shown, StringComparison.Ordinal);
        Assert.Equal(view.Spans.Count, CountOf(html, "class=\"llmops-token\""));
    }

    [Fact]
    public void A_character_split_across_tokens_is_shown_once_with_every_id_on_hover()
    {
        string emoji = "\U0001FAE8";
        var view = TokenView.Of(O200k, "o200k_base", $"ok {emoji} ok");
        var split = Assert.Single(view.Spans, s => s.Ids.Count > 1);

        string html = Html(view, new RenderContext());

        string shown = System.Net.WebUtility.HtmlDecode(html); // non-ASCII text is written as character references
        Assert.Equal(1, CountOf(shown, emoji));
        Assert.DoesNotContain("\uFFFD", shown, StringComparison.Ordinal);
        Assert.Contains($"ids {string.Join(", ", split.Ids)}\"", html, StringComparison.Ordinal);
        foreach (var id in view.Tokens.Select(t => t.Id))
            Assert.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.Contains($"{view.TokenCount} tokens, 7 characters, {view.Bytes} bytes", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comparison_is_a_table_and_a_grouped_bar_chart_with_plotly_once()
    {
        var comparison = TokenizerComparison.Of([("o200k_base", O200k), ("cl100k_base", TokenizerFactory.ForEncoding("cl100k_base"))],
            ["Привет, мир! Hello, world.", "def f(x): return x * 2"]);
        var context = new RenderContext();

        var bundle = MimeRenderer.Render(comparison, context);
        string html = bundle.Single(b => b.Key == "text/html").Value;
        string again = Html(comparison, context);

        Assert.Contains("tokens/word", bundle[0].Value, StringComparison.Ordinal);
        Assert.Contains("<td style=\"text-align:left\">cl100k_base</td>", html, StringComparison.Ordinal);
        Assert.Contains("\"barmode\":\"group\"", html, StringComparison.Ordinal);
        Assert.Contains("tokens per word", html, StringComparison.Ordinal);
        Assert.Contains("bytes per token", html, StringComparison.Ordinal);
        Assert.Contains(PlotlyJs.Script, html, StringComparison.Ordinal);
        Assert.DoesNotContain(PlotlyJs.Script, again, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_formatters_cover_the_token_records() =>
        Assert.Subset(KernelFormatters.Types(new RenderContext()).ToHashSet(), new HashSet<Type> { typeof(TokenView), typeof(TokenizerComparison) });

    static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
