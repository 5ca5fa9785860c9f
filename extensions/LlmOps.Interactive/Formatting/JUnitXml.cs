using System.Globalization;
using System.Xml.Linq;

namespace LlmOps.Interactive.Formatting;

/// <summary>JUnit XML, the report CI systems read: the one writer for notebook runs and evaluation gates.</summary>
public static class JUnitXml
{
    /// <summary>A <c>testsuites</c> document named <paramref name="name"/> holding <paramref name="suites"/>.</summary>
    public static XDocument Build(string name, IEnumerable<JUnitSuite> suites)
    {
        ArgumentNullException.ThrowIfNull(suites);
        static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
        var root = new XElement("testsuites", new XAttribute("name", name));
        foreach (var suite in suites)
        {
            var element = new XElement("testsuite",
                new XAttribute("name", suite.Name),
                new XAttribute("tests", suite.Cases.Count),
                new XAttribute("failures", suite.Cases.Count(c => c.Failure is not null)),
                new XAttribute("skipped", suite.Cases.Count(c => c.Failure is null && c.Skipped is not null)));
            if (suite.Seconds is { } total)
                element.Add(new XAttribute("time", Seconds(total)));
            foreach (var test in suite.Cases)
            {
                var testCase = new XElement("testcase", new XAttribute("name", test.Name), new XAttribute("classname", test.ClassName));
                if (test.Seconds is { } seconds)
                    testCase.Add(new XAttribute("time", Seconds(seconds)));
                if (test.Failure is not null)
                    testCase.Add(new XElement("failure", new XAttribute("message", test.Failure), test.Failure));
                else if (test.Skipped is not null)
                    testCase.Add(new XElement("skipped", new XAttribute("message", test.Skipped)));
                element.Add(testCase);
            }
            root.Add(element);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }
}
