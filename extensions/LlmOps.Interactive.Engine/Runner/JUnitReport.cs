using System.Xml.Linq;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>The run as JUnit XML (one test suite per notebook, one test case per code cell), which CI systems read.</summary>
public static class JUnitReport
{
    /// <summary>Builds the XML document.</summary>
    public static XDocument Build(IReadOnlyList<NotebookRunResult> results) =>
        JUnitXml.Build("llmops notebook run", results.Select(result =>
        {
            string name = Path.GetFileName(result.Source);
            IEnumerable<JUnitCase> load = result.Error is null ? [] : [new JUnitCase("load", name, Failure: result.Error)];
            return new JUnitSuite(name, [.. load.Concat(result.Cells.Select(cell => new JUnitCase($"cell {cell.Index + 1}", name, cell.Seconds,
                Failure: cell.Status is not null and not Execution.CellStatus.Ok ? cell.Error ?? cell.Status.ToString() : null,
                Skipped: cell.Status is null ? "not run: an earlier cell failed" : null)))], result.Seconds);
        }));
}
