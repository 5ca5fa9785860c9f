using System.Reflection;
using LlmOps.Interactive.Formatting;
using LlmOps.Interactive.Kernel;
using LlmOps.Interactive.Stages;

namespace LlmOps.Interactive.Tests.Kernel;

/// <summary>
/// Every host renders from the stages' one declaration: the runner through MimeRenderer, the kernel through the
/// formatters KernelFormatters registers, the CLI through CliDisplaySink. What can still drift is a record that Core
/// gives a text form (a public method of a Display/*Text class taking it) but no stage declares: the runner and the CLI
/// would show its ToString, the kernel a property dump. That fails here, as does a declared type the kernel misses.
/// </summary>
public class FormatterParityTests
{
    /// <summary>Core's record types that a Display/*Text method takes: the types Core knows how to show.</summary>
    static HashSet<Type> TypesCoreShows() =>
    [
        .. typeof(LlmOps.Core.Display.TextTable).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "LlmOps.Core.Display" && t.Name.EndsWith("Text", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(m => m.GetParameters().FirstOrDefault()?.ParameterType)
            .OfType<Type>()
            .Where(t => t.Assembly == typeof(LlmOps.Core.Display.TextTable).Assembly && t.Namespace != "LlmOps.Core.Display"),
    ];

    [Fact]
    public void Every_record_core_can_show_is_declared_by_a_stage()
    {
        var shown = TypesCoreShows();
        Assert.Contains(typeof(LlmOps.Core.Modeling.GptSummary), shown); // the scan reads what it should

        var undeclared = shown.Where(t => StageRegistry.Default.Find(t) is null).Select(t => t.FullName).Order().ToList();
        Assert.True(undeclared.Count == 0, $"Core has a text form for these but no stage declares a renderer: {string.Join(", ", undeclared)}");
    }

    [Fact]
    public void The_kernel_registers_a_formatter_for_every_declared_type_and_the_built_in_ones()
    {
        var context = new RenderContext();
        var registered = KernelFormatters.Types(context);

        Assert.Superset(StageRegistry.Default.RenderedTypes.ToHashSet(), registered.ToHashSet());
        Assert.Superset(KernelFormatters.BuiltInTypes.ToHashSet(), registered.ToHashSet());
        Assert.Equal(registered.Count, registered.Distinct().Count());
    }
}
