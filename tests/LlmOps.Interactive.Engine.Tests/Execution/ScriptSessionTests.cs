using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Engine.Execution;
using LlmOps.Tests;

namespace LlmOps.Interactive.Engine.Tests.Execution;

public class ScriptSessionTests
{
    static ScriptSession NewSession(TimeSpan? timeout = null) =>
        new(new ScriptSessionOptions(CommandTable.CreateDefault(), RepoPaths.NewTempFolder("llmops-cells"), timeout));

    [Fact]
    public async Task State_carries_across_cells_and_a_trailing_expression_is_the_result()
    {
        var session = NewSession();
        var first = await session.RunCellAsync("var numbers = Enumerable.Range(1, 4).ToList();");
        var second = await session.RunCellAsync("numbers.Sum() * 10");

        Assert.Equal(CellStatus.Ok, first.Status);
        Assert.Empty(first.Outputs);
        var result = Assert.Single(second.Outputs);
        Assert.Equal("execute_result", result.OutputType);
        Assert.Equal("100", result.GetText("text/plain"));
        Assert.Equal(2, result.ExecutionCount);
    }

    [Fact]
    public async Task A_statement_with_a_semicolon_shows_nothing_and_void_calls_have_no_result()
    {
        var session = NewSession();
        Assert.DoesNotContain((await session.RunCellAsync("var x = 1;\nx;")).Outputs, o => o.OutputType == "execute_result");
        Assert.Empty((await session.RunCellAsync("Math.Abs(-1).ToString().GetHashCode()\n;")).Outputs);
        var voidCall = await session.RunCellAsync("Console.WriteLine(\"hi\")");
        Assert.Equal("stream", Assert.Single(voidCall.Outputs).OutputType);
    }

    [Fact]
    public async Task Stdout_stderr_and_displays_keep_their_order()
    {
        var result = await NewSession().RunCellAsync("""
            Console.Write("a");
            Console.WriteLine("b");
            Console.Error.WriteLine("oops");
            display("shown");
            Console.WriteLine("c");
            """);

        Assert.Equal(new[] { "stream", "stream", "display_data", "stream" }, result.Outputs.Select(o => o.OutputType));
        Assert.Equal("ab\n", result.Outputs[0].Text);
        Assert.Equal("stderr", result.Outputs[1].Name);
        Assert.Equal("shown", result.Outputs[2].GetText("text/plain"));
    }

    [Fact]
    public async Task Display_updates_replace_the_output_in_place()
    {
        var changes = 0;
        var result = await NewSession().RunCellAsync("""
            var handle = display("step 0");
            for (int i = 1; i <= 5; i++) handle.Update($"step {i}");
            """, _ => Interlocked.Increment(ref changes));

        var output = Assert.Single(result.Outputs);
        Assert.Equal("step 5", output.GetText("text/plain"));
        Assert.Equal(6, changes);
    }

    [Fact]
    public async Task A_compile_error_names_the_cell_line_and_column()
    {
        var result = await NewSession().RunCellAsync("var a = 1;\n\nvar b = a + missing;");

        Assert.Equal(CellStatus.Error, result.Status);
        var error = Assert.Single(result.Outputs);
        Assert.Equal("CompilationError", error.EName);
        Assert.StartsWith("cell line 3, column 13: error CS0103", error.EValue, StringComparison.Ordinal);
        Assert.Contains("missing", error.EValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_becomes_an_error_output_with_its_cell_line_and_earlier_output_is_kept()
    {
        var session = NewSession();
        var result = await session.RunCellAsync("Console.WriteLine(\"before\");\nint zero = 0;\nvar boom = 1 / zero;");

        Assert.Equal(CellStatus.Error, result.Status);
        Assert.Equal("before\n", result.Outputs[0].Text);
        var error = result.Outputs[1];
        Assert.Equal("DivideByZeroException", error.EName);
        Assert.True(error.EValue!.StartsWith("cell line 3:", StringComparison.Ordinal), string.Join("\n", error.Traceback));
        Assert.NotEmpty(error.Traceback);

        var after = await session.RunCellAsync("zero + 41 + 1");
        Assert.Equal("42", after.Outputs.Single().GetText("text/plain"));
    }

    [Fact]
    public async Task Magic_commands_run_from_the_command_table_and_code_below_them_runs_too()
    {
        var result = await NewSession().RunCellAsync("#!llmops-help\n1 + 1");

        Assert.Equal(CellStatus.Ok, result.Status);
        Assert.Contains("#!llmops-env", result.Outputs[0].GetText("text/plain"), StringComparison.Ordinal);
        Assert.Contains("<table", result.Outputs[0].GetText("text/html"), StringComparison.Ordinal);
        Assert.Equal("2", result.Outputs[1].GetText("text/plain"));
    }

    [Fact]
    public async Task A_magic_command_with_typed_arguments_shows_its_result()
    {
        var result = await NewSession().RunCellAsync("#!llmops-env cpu --matmul-size 64 --matmul-seconds 0.01");

        Assert.True(result.Status == CellStatus.Ok, result.Error);
        Assert.Contains("64x64", result.Outputs.Single().GetText("text/plain"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_magic_command_is_a_clear_error_with_its_line()
    {
        var result = await NewSession().RunCellAsync("// setup\n#!llmops-nope --x 1");

        var error = Assert.Single(result.Outputs);
        Assert.Equal("MagicCommandError", error.EName);
        Assert.Contains("cell line 2", error.EValue, StringComparison.Ordinal);
        Assert.Contains("#!llmops-nope", error.EValue, StringComparison.Ordinal);
        Assert.Contains("#!llmops-help", error.EValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_past_its_timeout_is_stopped_through_its_cancellation_token()
    {
        var session = NewSession(TimeSpan.FromSeconds(5)); // the limit includes compiling, which is slow on a loaded 2-core machine
        var result = await session.RunCellAsync("while (true) { CellCancellation.ThrowIfCancellationRequested(); await Task.Delay(10); }");

        Assert.Equal(CellStatus.TimedOut, result.Status);
        Assert.Equal("CellTimeout", result.Outputs.Single().EName);
        Assert.Equal(CellStatus.Ok, (await session.RunCellAsync("1")).Status);
    }

    [Fact]
    public async Task A_live_chart_that_carries_plotly_js_keeps_it_through_its_updates()
    {
        var result = await NewSession().RunCellAsync("""
            var live = display(Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2 }, y: new[] { 1, 2 }));
            display(Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2 }, y: new[] { 3, 4 }));
            live.Update(Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2 }, y: new[] { 2, 1 }));
            """);

        Assert.Equal(CellStatus.Ok, result.Status);
        var html = result.Outputs.Select(o => o.GetText("text/html") ?? "").ToList();
        Assert.Equal(2, html.Count);
        Assert.Contains(LlmOps.Interactive.Formatting.PlotlyJs.Script, html[0], StringComparison.Ordinal); // the final state still carries it
        Assert.DoesNotContain(LlmOps.Interactive.Formatting.PlotlyJs.Script, html[1], StringComparison.Ordinal); // once per document
    }

    [Fact]
    public async Task A_cell_that_ignores_cancellation_abandons_the_session_with_a_reason()
    {
        // Cancel only once the cell's code is running (it says so on stdout), so a slow compile on a loaded
        // machine cannot turn this into a cell that was stopped before it started.
        var session = NewSession();
        using var cancel = new CancellationTokenSource();
        var result = await session.RunCellAsync(
            "Console.WriteLine(\"busy\"); System.Threading.Thread.Sleep(6000);",
            output => { if (output.Text?.Contains("busy", StringComparison.Ordinal) == true) cancel.Cancel(); },
            cancel.Token);

        Assert.Equal(CellStatus.Cancelled, result.Status);
        Assert.Contains("did not stop", result.Error, StringComparison.Ordinal);
        var next = await session.RunCellAsync("1");
        Assert.Equal(CellStatus.Error, next.Status);
        Assert.Equal("SessionAbandoned", next.Outputs.Single().EName);
    }

    [Fact]
    public async Task A_nuget_reference_is_restored_for_real_and_usable_in_the_next_line()
    {
        var result = await NewSession().RunCellAsync("""
            #r "nuget: DiffPlex, 1.9.0"
            var diff = DiffPlex.Differ.Instance.CreateLineDiffs("a\nb\n", "a\nc\n", false);
            diff.DiffBlocks.Count
            """);

        Assert.True(result.Status == CellStatus.Ok, result.Error);
        Assert.Contains("Installed DiffPlex 1.9.0", result.Outputs[0].Text, StringComparison.Ordinal);
        Assert.Equal("1", result.Outputs[^1].GetText("text/plain"));
    }

    [Fact]
    public async Task A_package_that_does_not_exist_fails_with_nugets_reason()
    {
        var result = await NewSession().RunCellAsync("#r \"nuget: LlmOps.No.Such.Package.Anywhere, 9.9.9\"\n1");

        var error = Assert.Single(result.Outputs);
        Assert.Equal("PackageRestoreError", error.EName);
        Assert.Contains("cell line 1", error.EValue, StringComparison.Ordinal);
        Assert.Contains("LlmOps.No.Such.Package.Anywhere", error.EValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_projects_own_packages_are_provided_by_the_host()
    {
        var result = await NewSession().RunCellAsync("""
            #r "nuget: LlmOps.Interactive, *-*"
            typeof(LlmOps.Interactive.Commands.CommandTable).Name
            """);

        Assert.True(result.Status == CellStatus.Ok, result.Error);
        Assert.Contains("provided by the runner", result.Outputs[0].Text, StringComparison.Ordinal);
        Assert.Equal("CommandTable", result.Outputs[^1].GetText("text/plain"));
    }
}

public class AssemblyReferenceTests
{
    [Fact]
    public async Task A_dll_referenced_by_path_is_usable()
    {
        // A real restore into a fresh cache gives a real DLL on disk; then the cell references the file itself.
        var paths = await new NuGetRestorer(RepoPaths.NewTempFolder("llmops-restore")).RestoreAsync([new PackageReference("DiffPlex", "1.9.0")], [], CancellationToken.None);
        string dll = Assert.Single(paths);
        var session = new ScriptSession(new ScriptSessionOptions(CommandTable.CreateDefault(), RepoPaths.NewTempFolder("llmops-cells")));

        var result = await session.RunCellAsync($"#r \"{dll}\"\nnew DiffPlex.Differ().CreateCharacterDiffs(\"abc\", \"abd\", false).DiffBlocks.Count");

        Assert.True(result.Status == CellStatus.Ok, result.Error);
        Assert.Equal("1", result.Outputs.Single().GetText("text/plain"));
    }

    [Fact]
    public async Task A_cached_restore_whose_packages_are_gone_is_restored_again()
    {
        string cache = RepoPaths.NewTempFolder("llmops-restore");
        var restorer = new NuGetRestorer(cache);
        PackageReference[] packages = [new("DiffPlex", "1.9.0")];
        await restorer.RestoreAsync(packages, [], CancellationToken.None);
        // Point the cached restore at a package folder that no longer exists, as after clearing ~/.nuget/packages.
        string assets = Directory.GetFiles(cache, "project.assets.json", SearchOption.AllDirectories).Single();
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(assets))!;
        string folder = json["packageFolders"]!.AsObject().First().Key;
        await File.WriteAllTextAsync(assets, (await File.ReadAllTextAsync(assets)).Replace(folder, "/no/such/packages/", StringComparison.Ordinal));

        var paths = await restorer.RestoreAsync(packages, [], CancellationToken.None);

        Assert.True(File.Exists(Assert.Single(paths)), paths[0]);
    }
}
