using System.Reflection;
using LlmOps.Interactive.Formatting;
using LlmOps.Interactive.Kernel;
using LlmOps.Tests;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmOps.Interactive.Tests.Kernel;

/// <summary>
/// The headless runner renders a value through MimeRenderer, whose renderers (Core's Display/*Text and HtmlRenderer,
/// Interactive's Formatting/*Html) pick a form by the value's type; the kernel only calls MimeRenderer for the types
/// KernelFormatters registers, and shows everything else its own way (a property dump). So the type patterns in those
/// renderers, read from their source, must be exactly the kernel's list: a type added to a renderer and not to the
/// kernel (or the other way round) fails here.
/// </summary>
public class FormatterParityTests
{
    static readonly Assembly[] Ours = [typeof(LlmOps.Core.Display.TextRenderer).Assembly, typeof(MimeRenderer).Assembly];

    /// <summary>Types named in a type pattern (<c>X x =&gt;</c>, <c>is X or Y</c>) of a renderer, resolved to our types
    /// and to the foreign ones we render (Plotly.NET charts, DataFrames). BCL types (string, IEnumerable, ...) are the
    /// runner's generic fallbacks, which the kernel has its own forms for.</summary>
    static HashSet<Type> RenderedTypes()
    {
        var files = Directory.GetFiles(RepoPaths.Path("src", "LlmOps.Core", "Display"), "*.cs")
            .Concat(Directory.GetFiles(RepoPaths.Path("extensions", "LlmOps.Interactive", "Formatting"), "*.cs"));
        var candidates = Ours.SelectMany(a => a.GetExportedTypes())
            .Concat([typeof(Plotly.NET.GenericChart), typeof(Microsoft.Data.Analysis.DataFrame)]).ToList();
        var found = new HashSet<Type>();
        foreach (string file in files)
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            var names = root.DescendantNodes().OfType<DeclarationPatternSyntax>().Select(p => p.Type)
                .Concat(root.DescendantNodes().OfType<TypePatternSyntax>().Select(p => p.Type))
                .Concat(root.DescendantNodes().OfType<RecursivePatternSyntax>().Select(p => p.Type).OfType<TypeSyntax>())
                .Select(t => t.ToString().Split('.')[^1]);
            foreach (string name in names)
            {
                var matches = candidates.Where(t => t.Name == name).ToList();
                if (matches.Count > 0)
                    found.Add(Assert.Single(matches));
            }
        }
        return found;
    }

    [Fact]
    public void Every_type_a_renderer_handles_has_a_kernel_formatter_and_every_kernel_formatter_a_renderer()
    {
        var rendered = RenderedTypes();
        Assert.Contains(typeof(LlmOps.Core.Modeling.GptSummary), rendered); // the scan reads what it should

        var missingInKernel = rendered.Where(t => !KernelFormatters.Types.Contains(t)).Select(t => t.FullName).Order().ToList();
        Assert.True(missingInKernel.Count == 0, $"rendered by the runner but shown by the kernel as a property dump: {string.Join(", ", missingInKernel)} (add them to KernelFormatters.Types)");
        var missingInRunner = KernelFormatters.Types.Where(t => !rendered.Contains(t)).Select(t => t.FullName).ToList();
        Assert.True(missingInRunner.Count == 0, $"registered in the kernel but no renderer handles them: {string.Join(", ", missingInRunner)}");
    }
}
