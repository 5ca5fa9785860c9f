using System.Globalization;
using System.Xml.Linq;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>The run as JUnit XML (one test suite per notebook, one test case per code cell), which CI systems read.</summary>
public static class JUnitReport
{
    /// <summary>Builds the XML document.</summary>
    public static XDocument Build(IReadOnlyList<NotebookRunResult> results)
    {
        static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
        var suites = new XElement("testsuites", new XAttribute("name", "llmops notebook run"));
        foreach (var result in results)
        {
            string name = Path.GetFileName(result.Source);
            var suite = new XElement("testsuite",
                new XAttribute("name", name),
                new XAttribute("tests", Math.Max(1, result.Cells.Count)),
                new XAttribute("failures", result.Cells.Count(c => c.Status is not null and not Execution.CellStatus.Ok) + (result.Error is null ? 0 : 1)),
                new XAttribute("skipped", result.Cells.Count(c => c.Status is null)),
                new XAttribute("time", Seconds(result.Seconds)));
            if (result.Error is not null)
                suite.Add(new XElement("testcase", new XAttribute("name", "load"), new XAttribute("classname", name),
                    new XElement("failure", new XAttribute("message", result.Error), result.Error)));
            foreach (var cell in result.Cells)
            {
                var testCase = new XElement("testcase",
                    new XAttribute("name", $"cell {cell.Index + 1}"), new XAttribute("classname", name), new XAttribute("time", Seconds(cell.Seconds)));
                if (cell.Status is null)
                    testCase.Add(new XElement("skipped", new XAttribute("message", "not run: an earlier cell failed")));
                else if (cell.Status != Execution.CellStatus.Ok)
                    testCase.Add(new XElement("failure", new XAttribute("message", cell.Error ?? cell.Status.ToString()!), cell.Error));
                suite.Add(testCase);
            }
            suites.Add(suite);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }
}
