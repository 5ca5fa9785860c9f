using LlmOps.Interactive.Charts;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Tests.Formatting;

public class LiveOutputTests
{
    static PlotlyChart Chart(int n) => PlotlyChart.Line([0, 1], [0, n], name: $"run {n}");

    static string Html(IReadOnlyList<KeyValuePair<string, string>> bundle) => bundle.Single(b => b.Key == "text/html").Value;

    [Fact]
    public void A_live_chart_that_carried_plotly_js_updates_without_it_and_completes_with_it()
    {
        var document = new RenderContext();
        var live = new LiveOutput(document);

        Assert.True(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(1)))));
        Assert.Null(live.Complete()); // nothing owed yet: the first display is whole
        string later = Html(MimeRenderer.Render(Chart(2), document)); // another chart shown after it
        // Updates leave the 3.6 MB library out: the page showing them already has it.
        Assert.False(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(3)))));
        Assert.False(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(4)))));

        // When the cell ends, the final state (the last value) carries the library again, and only it: the document
        // still holds the library once, in the live output, not in the later chart.
        var final = live.Complete();
        Assert.NotNull(final);
        Assert.True(PlotlyJs.IsEmbeddedIn(Html(final.Bundle)));
        Assert.Contains("run 4", Html(final.Bundle), StringComparison.Ordinal);
        Assert.Same(final.Bundle, live.Current);
        Assert.False(PlotlyJs.IsEmbeddedIn(later));
        Assert.Null(live.Complete());
        Assert.False(PlotlyJs.IsEmbeddedIn(Html(MimeRenderer.Render(Chart(5), document))));
    }

    [Fact]
    public void A_live_chart_whose_final_state_cannot_be_delivered_hands_the_library_to_the_next_chart()
    {
        var document = new RenderContext();
        var live = new LiveOutput(document);
        live.Render(Chart(1));
        live.Render(Chart(2)); // an update without the library; then the cell is cancelled before it completes

        live.Abandon();

        Assert.True(PlotlyJs.IsEmbeddedIn(Html(MimeRenderer.Render(Chart(3), document))));
    }

    [Fact]
    public void A_live_output_that_first_shows_text_and_then_a_chart_carries_the_library_at_completion()
    {
        var document = new RenderContext();
        var live = new LiveOutput(document);
        live.Render("starting");
        Assert.True(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(1))))); // the document's first chart
        Assert.False(PlotlyJs.IsEmbeddedIn(Html(live.Render(Chart(2)))));
        Assert.True(PlotlyJs.IsEmbeddedIn(Html(live.Complete()!.Bundle)));
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
