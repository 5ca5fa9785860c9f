using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Kernel;
using LlmOps.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace LlmOps.Interactive.Tests.Kernel;

/// <summary>
/// extension.dib against the real kernel API: the Microsoft.DotNet.Interactive(.CSharp) release that the pinned kernel
/// tool carries (Directory.Packages.props), compiled with the kernel's own Roslyn and run in its C# kernel in-process.
/// The notebooks run it in the kernel tool itself in LlmOps.Interactive.Engine.Tests (KernelNotebookTests).
/// </summary>
[Collection(KernelProcessState.Name)]
public class KernelExtensionScriptTests
{
    static readonly string CommittedScript = RepoPaths.Path("extensions", "LlmOps.Interactive", "Kernel", "extension.dib");

    [Fact]
    public async Task The_committed_extension_script_is_generated_from_the_command_table()
    {
        string generated = KernelExtensionScript.Generate(LlmOps.Interactive.Stages.StageRegistry.Default);
        if (Environment.GetEnvironmentVariable("LLMOPS_WRITE_GENERATED") == "1")
            await File.WriteAllTextAsync(CommittedScript, generated);

        Assert.True(File.Exists(CommittedScript), $"missing {CommittedScript}: run `llmops notebook extension-script --out {CommittedScript}`");
        Assert.True(generated == await File.ReadAllTextAsync(CommittedScript),
            $"{CommittedScript} is stale: run `llmops notebook extension-script --out {CommittedScript}`");
    }

    [Fact]
    public void Every_command_and_parameter_is_registered_with_the_kernel()
    {
        string script = KernelExtensionScript.Generate(LlmOps.Interactive.Stages.StageRegistry.Default);
        foreach (var command in CommandTable.CreateDefault().Commands)
        {
            Assert.Contains($"KernelActionDirective(\"{command.Directive}\")", script, StringComparison.Ordinal);
            foreach (var parameter in command.Parameters)
            {
                Assert.Contains($"KernelDirectiveParameter(\"{parameter.Option}\")", script, StringComparison.Ordinal);
                Assert.Contains($" {KernelExtensionScript.Pascal(parameter.Name)} {{ get; set; }}", script, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_script_compiles_against_the_real_kernel_assemblies()
    {
        // The kernel's own assemblies as restored from NuGet, not a transcription of their shapes.
        Assert.Equal("Microsoft.DotNet.Interactive", typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.GetName().Name);
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll");
        var assemblies = new[]
        {
            typeof(CommandTable).Assembly, typeof(LlmOps.Core.Display.DisplayHook).Assembly,
            typeof(Microsoft.DotNet.Interactive.Kernel).Assembly, typeof(FormattedValue).Assembly,
            typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly,
        }.Select(a => a.Location);

        string script = KernelExtensionScript.Generate(LlmOps.Interactive.Stages.StageRegistry.Default);
        var cells = script.Split("\n#!").Where(c => c.StartsWith("csharp", StringComparison.Ordinal)).Select(c => c["csharp".Length..]).ToList();
        Assert.NotEmpty(cells);
        var compilation = CSharpCompilation.CreateScriptCompilation("extension",
            CSharpSyntaxTree.ParseText(string.Join("\n", cells), new CSharpParseOptions(kind: SourceCodeKind.Script)),
            framework.Concat(assemblies).Distinct().Select(p => MetadataReference.CreateFromFile(p)));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task The_script_runs_in_the_real_csharp_kernel_and_its_magic_commands_work_in_the_next_cell()
    {
        var previousSink = LlmOps.Core.Display.DisplayHook.Sink;
        try
        {
            // As the kernel tool builds its C# kernel, and as it runs an extension's script after #r "nuget: ...".
            using var csharp = new CSharpKernel().UseKernelHelpers();
            using var root = new CompositeKernel { csharp };
            root.DefaultKernelName = csharp.Name;
            csharp.AddAssemblyReferences([typeof(CommandTable).Assembly.Location, typeof(LlmOps.Core.Display.DisplayHook).Assembly.Location]);
            await root.LoadAndRunInteractiveDocument(new FileInfo(CommittedScript));

            var help = await root.SubmitCodeAsync("#!llmops-help");
            Assert.Empty(help.Events.OfType<CommandFailed>().Select(f => f.Message));
            string shown = string.Join("\n", help.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Select(v => v.Value));
            foreach (var command in CommandTable.CreateDefault().Commands)
                Assert.Contains(command.Directive, shown, StringComparison.Ordinal);

            // A wrongly typed argument reaches our handler as a string and fails with our message.
            var wrong = await root.SubmitCodeAsync("#!llmops-env --matmul-size abc");
            var failed = Assert.Single(wrong.Events.OfType<CommandFailed>());
            Assert.Contains("#!llmops-env: --matmul-size expects int, not 'abc'.", failed.Message, StringComparison.Ordinal);
        }
        finally
        {
            // The script sets process-wide state (the display hook's sink, the kernel's formatters): put it back.
            LlmOps.Core.Display.DisplayHook.Sink = previousSink;
            Formatter.ResetToDefault();
        }
    }

    [Fact]
    public async Task A_stage_added_by_one_line_is_a_magic_command_and_a_formatter_in_the_real_csharp_kernel()
    {
        var previousSink = LlmOps.Core.Display.DisplayHook.Sink;
        string script = Path.Combine(RepoPaths.NewTempFolder("llmops-echo-ext"), "extension.dib");
        try
        {
            // The product's script, generated for the default stages plus the tests' example stage (one line).
            await File.WriteAllTextAsync(script, KernelExtensionScript.Generate(
                LlmOps.Interactive.Stages.StageRegistry.Default.With(LlmOps.Tests.ExampleStage.EchoStage.Declaration),
                "LlmOps.Interactive.Stages.StageRegistry.Default.With(LlmOps.Tests.ExampleStage.EchoStage.Declaration)"));
            using var csharp = new CSharpKernel().UseKernelHelpers();
            using var root = new CompositeKernel { csharp };
            root.DefaultKernelName = csharp.Name;
            csharp.AddAssemblyReferences([typeof(CommandTable).Assembly.Location, typeof(LlmOps.Core.Display.DisplayHook).Assembly.Location,
                typeof(LlmOps.Tests.ExampleStage.Echo).Assembly.Location]);
            await root.LoadAndRunInteractiveDocument(new FileInfo(script));

            var magic = await root.SubmitCodeAsync("#!echo hello --times 2");
            Assert.Empty(magic.Events.OfType<CommandFailed>().Select(f => f.Message));
            var shown = magic.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).ToList();
            Assert.Contains(shown, v => v.MimeType == "text/html" && v.Value == "<b class=\"echo\">hello hello</b>");

            var value = await root.SubmitCodeAsync("new LlmOps.Tests.ExampleStage.Echo(\"bye\", 3)");
            var returned = Assert.Single(value.Events.OfType<ReturnValueProduced>()).FormattedValues;
            Assert.Contains(returned, v => v.MimeType == "text/html" && v.Value == "<b class=\"echo\">bye bye bye</b>");

            var wrong = await root.SubmitCodeAsync("#!echo hello --times x");
            Assert.Contains("#!echo: --times expects int, not 'x'.", Assert.Single(wrong.Events.OfType<CommandFailed>()).Message, StringComparison.Ordinal);
        }
        finally
        {
            LlmOps.Core.Display.DisplayHook.Sink = previousSink;
            Formatter.ResetToDefault();
        }
    }
}
