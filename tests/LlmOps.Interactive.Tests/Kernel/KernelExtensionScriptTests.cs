using System.IO.Compression;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Kernel;
using LlmOps.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmOps.Interactive.Tests.Kernel;

public class KernelExtensionScriptTests
{
    static readonly string CommittedScript = RepoPaths.Path("extensions", "LlmOps.Interactive", "Kernel", "extension.dib");

    [Fact]
    public async Task The_committed_extension_script_is_generated_from_the_command_table()
    {
        string generated = KernelExtensionScript.Generate(CommandTable.CreateDefault());
        if (Environment.GetEnvironmentVariable("LLMOPS_WRITE_GENERATED") == "1")
            await File.WriteAllTextAsync(CommittedScript, generated);

        Assert.True(File.Exists(CommittedScript), $"missing {CommittedScript}: run `llmops notebook extension-script --out {CommittedScript}`");
        Assert.True(generated == await File.ReadAllTextAsync(CommittedScript),
            $"{CommittedScript} is stale: run `llmops notebook extension-script --out {CommittedScript}`");
    }

    [Fact]
    public void Every_command_and_parameter_is_registered_with_the_kernel()
    {
        string script = KernelExtensionScript.Generate(CommandTable.CreateDefault());
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

    [Theory]
    [InlineData("Microsoft.DotNet.Interactive")]            // kernels before 2025-06
    [InlineData("Microsoft.DotNet.Interactive.Formatting")] // kernels from 2025-06 to the final release
    public void The_script_compiles_against_the_kernel_api_shapes(string displayedValueNamespace)
    {
        string shapesSource = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Kernel", "KernelApiShapes.txt"))
            .Replace("$DISPLAYED_VALUE_NAMESPACE$", displayedValueNamespace, StringComparison.Ordinal);
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => MetadataReference.CreateFromFile(p)).ToList();

        var shapes = CSharpCompilation.Create("Microsoft.DotNet.Interactive",
            [CSharpSyntaxTree.ParseText(shapesSource)], framework, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var shapesImage = new MemoryStream();
        var emitted = shapes.Emit(shapesImage);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        string script = KernelExtensionScript.Generate(CommandTable.CreateDefault());
        var cells = script.Split("\n#!").Where(c => c.StartsWith("csharp", StringComparison.Ordinal)).Select(c => c["csharp".Length..]).ToList();
        Assert.NotEmpty(cells);
        var ours = new[] { typeof(CommandTable).Assembly, typeof(LlmOps.Core.Display.DisplayHook).Assembly }
            .Select(a => MetadataReference.CreateFromFile(a.Location));
        var compilation = CSharpCompilation.CreateScriptCompilation("extension",
            CSharpSyntaxTree.ParseText(string.Join("\n", cells), new CSharpParseOptions(kind: SourceCodeKind.Script)),
            [.. framework, .. ours, MetadataReference.CreateFromImage(shapesImage.ToArray())]);

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
