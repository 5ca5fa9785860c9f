using LlmOps.Interactive.Charts;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Tests.Formatting;

public class LiveOutputTests
{
    static PlotlyChart Chart(int n) => PlotlyChart.Line([0, 1], [0, n], name: $"run {n}");

    static string Html(IReadOnlyList<KeyValuePair<string, string>> bundle) => bundle.Single(b => b.Key == "text/html").Value;

    [Fact]
    public void A_live_chart_that_carried_plotly_js_carries_it_in_every_update()
    {
        var document = new RenderContext();
        var live = new LiveOutput(document);

        Assert.True(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(1)))));
        string later = Html(MimeRenderer.Render(Chart(2), document)); // another chart shown after it
        Assert.True(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(3)))));
        Assert.True(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(4)))));

        // The document still holds the library once: in the live output's final state, not in the later chart.
        Assert.False(PlotlyJs.IsEmbeddedIn(later));
        Assert.True(PlotlyJs.IsEmbeddedIn(Html(live.Current!)));
    }

    [Fact]
    public void A_live_chart_shown_after_the_first_chart_never_carries_plotly_js()
    {
        var document = new RenderContext();
        string first = Html(MimeRenderer.Render(Chart(1), document));
        var live = new LiveOutput(document);

        Assert.True(PlotlyJs.IsEmbeddedIn(first));
        Assert.False(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(2)))));
        Assert.False(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(3)))));
    }

    [Fact]
    public void A_rendered_output_shows_exactly_its_bundle()
    {
        var live = new LiveOutput(new RenderContext());
        var rendered = live.RenderOutput(Chart(1));

        Assert.Same(live.Current, rendered.ToMimeBundle());
        Assert.Equal(["text/plain", "text/html", MimeRenderer.PlotlyMimeType], rendered.MimeTypes);
        // The kernel is not asked for the figure JSON: it would send it as a string where viewers expect an object.
        Assert.Equal(["text/plain", "text/html"], LlmOps.Interactive.Kernel.KernelFormatters.MimeTypesFor(rendered));
        Assert.Same(rendered.Bundle, MimeRenderer.Render(rendered, new RenderContext()));
    }
}
