using System.CommandLine;
using LlmOps.Cli.Tests.ExampleStage;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Engine.Runner;
using LlmOps.Interactive.Formatting;
using LlmOps.Interactive.Kernel;
using LlmOps.Interactive.Stages;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

/// <summary>A stage is declared once (its folder) and registered by one line; every host then has its command and its
/// renderer. The example stage lives in ExampleStage/; the one line is <see cref="Stages"/>.</summary>
public class StageDeclarationTests
{
    static readonly StageRegistry Stages = StageRegistry.Default.With(EchoStage.Declaration);

    [Fact]
    public async Task A_new_stage_is_a_cli_verb_with_its_tables_and_our_usage_errors()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int ok = await LlmOpsCommand.InvokeAsync(["echo", "hi", "--times", "3"], new InvocationConfiguration { Output = output, Error = error }, Stages);
        int bad = await LlmOpsCommand.InvokeAsync(["echo", "hi", "--times", "x"], new InvocationConfiguration { Output = new StringWriter(), Error = error }, Stages);

        Assert.True(ok == 0, error.ToString());
        Assert.Contains("echo", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, output.ToString().Split('\n').Count(l => l.Contains("│ hi", StringComparison.Ordinal) || l.Contains("| hi", StringComparison.Ordinal)));
        Assert.Equal(2, bad);
        Assert.Contains("llmops echo: --times expects int, not 'x'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_stage_is_a_magic_command_whose_result_the_runner_renders_with_the_declared_html()
    {
        var document = NotebookDocument.CreateCSharp();
        document.Cells.Add(NotebookCell.Code("#!echo hello --times 2"));
        document.Cells.Add(NotebookCell.Code("new LlmOps.Cli.Tests.ExampleStage.Echo(\"bye\", 3)"));
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-stage"), "echo.ipynb");
        IpynbFormat.Save(document, path);

        var result = Assert.Single(await new NotebookRunner(new NotebookRunOptions([path], RepoPaths.NewTempFolder("llmops-stage-out"), Stages: Stages)).RunAsync());

        Assert.True(result.Succeeded, result.FirstError);
        var outputs = IpynbFormat.Load(result.ExecutedNotebook!).Cells.Select(c => Assert.Single(c.Outputs)).ToList();
        Assert.Equal(("hello hello", "<b class=\"echo\">hello hello</b>"), (outputs[0].GetText("text/plain"), outputs[0].GetText("text/html")));
        Assert.Equal("<b class=\"echo\">bye bye bye</b>", outputs[1].GetText("text/html")); // a value a cell returns, not only a command's
    }

    [Fact]
    public void A_new_stage_is_a_kernel_directive_and_a_kernel_formatter()
    {
        string script = KernelExtensionScript.Generate(Stages.Commands);

        Assert.Contains("new Microsoft.DotNet.Interactive.Directives.KernelActionDirective(\"#!echo\")", script, StringComparison.Ordinal);
        Assert.Contains("new Microsoft.DotNet.Interactive.Directives.KernelDirectiveParameter(\"--times\")", script, StringComparison.Ordinal);
        Assert.Contains(typeof(Echo), KernelFormatters.Types(new RenderContext(Stages)));
        Assert.Equal("hello hello", MimeRenderer.Render(new Echo("hello", 2), new RenderContext(Stages))[0].Value);
    }

    [Fact]
    public void Every_declared_verb_has_exactly_its_magic_commands_parameters()
    {
        var root = LlmOpsCommand.Create();
        var declared = StageRegistry.Default.Commands.Commands.Where(c => c.Cli is not null).ToList();
        Assert.Contains(declared, c => c.Name == "data-clean"); // the real stages are checked, not only the example

        foreach (var magic in declared)
        {
            Command verb = root;
            foreach (string name in magic.Cli!.Split(' '))
                verb = verb.Subcommands.Single(c => c.Name == name);
            var options = verb.Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal) && n != "--help").Order().ToList();
            Assert.Equal(magic.Parameters.Select(p => p.Option).Order().ToList(), options);
            Assert.Equal(magic.Parameters.Where(p => p.Positional).Select(p => p.Name).ToList(), verb.Arguments.Select(a => a.Name).ToList());
        }
    }
}
