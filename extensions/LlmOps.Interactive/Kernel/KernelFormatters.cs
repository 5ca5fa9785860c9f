using LlmOps.Interactive.Charts;
using LlmOps.Interactive.Formatting;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace LlmOps.Interactive.Kernel;

/// <summary>
/// Registers LlmOps' renderers with a .NET Interactive kernel's formatter registry, so charts, DataFrames and result
/// records display the same in VS Code and Jupyter as in the headless runner. Called by extension.dib with the
/// session's <see cref="RenderContext"/>. Compiled against the Formatting beta; its assembly version (1.0.0.0) and
/// these Register overloads are the same in every kernel release, so the kernel's own copy binds at run time.
/// </summary>
public static class KernelFormatters
{
    /// <summary>The types MimeRenderer renders itself, whatever the stages: charts, DataFrames, self-rendering values.</summary>
    public static readonly IReadOnlyList<Type> BuiltInTypes = [typeof(PlotlyChart), typeof(GenericChart), typeof(DataFrame), typeof(IRichDisplay)];

    /// <summary>The types this registers formatters for: the built-in ones and every type the context's stages render.</summary>
    public static IReadOnlyList<Type> Types(RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return [.. BuiltInTypes.Concat(context.Stages.RenderedTypes)];
    }

    /// <summary>The MIME types the kernel is asked to show for a pre-rendered bundle: all but JSON ones. Why: the kernel
    /// sends every formatted value to Jupyter as a string, so Plotly's figure JSON would arrive as a string where
    /// frontends expect an object, and a frontend that prefers it (a Plotly renderer) would fail to draw the chart. The
    /// HTML carries the chart in the kernel; the headless runner also writes the figure JSON, as JSON.</summary>
    public static string[] MimeTypesFor(RenderedOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return [.. output.MimeTypes.Where(m => !MimeRenderer.IsJson(m))];
    }

    /// <summary>Registers text/html and text/plain formatters for <see cref="Types"/> in the kernel's registry.</summary>
    public static void Register(RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var type in Types(context))
        {
            foreach (string mime in new[] { "text/html", "text/plain" })
            {
                string mimeType = mime;
                Formatter.Register(type, (value, writer) => writer.Write(Content(MimeRenderer.Render(value, context), mimeType)), mimeType);
            }
        }
    }

    static string Content(IReadOnlyList<KeyValuePair<string, string>> bundle, string mimeType) =>
        bundle.FirstOrDefault(b => b.Key == mimeType).Value
        ?? (mimeType == "text/html" ? $"<pre>{System.Net.WebUtility.HtmlEncode(bundle[0].Value)}</pre>" : bundle[0].Value);
}
