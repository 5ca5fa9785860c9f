using LlmOps.Interactive.Documents;
using LlmOps.Tests;

namespace LlmOps.Interactive.Tests.Documents;

public class IpynbFormatTests
{
    /// <summary>Notebooks written by Python's nbformat itself: the oracle for byte-for-byte round trips.</summary>
    const string MakeNotebooks = """
        import sys, nbformat
        from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell, new_raw_cell, new_output
        folder = sys.argv[1]
        nb = new_notebook(metadata={"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
                                    "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}},
                                    "custom": {"zeta": [1, 2.5, 1e-05, 1e+16, True, None], "alpha": "ünïcødé ✓ <tag> & \"quotes\" \\ back"}})
        nb.cells = [
            new_markdown_cell("# Title\n\nSome *markdown* with </script> and a tab\there.", id="md-1"),
            new_code_cell("", id="empty"),
            new_code_cell("var x = 1;\r\nx\n", id="crlf", execution_count=3, metadata={"tags": ["parameters"], "collapsed": False},
                outputs=[new_output("stream", name="stdout", text="line 1\nline 2\n"),
                         new_output("stream", name="stderr", text="no newline at end"),
                         new_output("display_data", data={"text/plain": "a\nb", "text/html": "<b>bold</b>\n<i>x</i>", "image/png": "iVBORw0KGgo=", "application/json": {"k": [1, 2]}}, metadata={"width": 10}),
                         new_output("execute_result", data={"text/plain": "42"}, execution_count=3),
                         new_output("error", ename="DivideByZeroException", evalue="Attempted to divide by zero.", traceback=["line one", "\u001b[31mred\u001b[0m"])]),
            new_raw_cell("raw\u00a0text\u2028with separators\fand form feed", id="raw-1"),
        ]
        nb.cells[0]["attachments"] = {"pic.png": {"image/png": "iVBORw0KGgo="}, "note.txt": {"text/plain": "two\nlines"}}
        nbformat.write(nb, f"{folder}/full.ipynb")
        old = new_notebook(cells=[new_code_cell("print(1)"), new_markdown_cell("text")])
        for c in old.cells: c.pop("id", None)
        old.nbformat_minor = 4
        nbformat.write(old, f"{folder}/v44.ipynb")
        """;

    static async Task<string> NotebooksFromPython()
    {
        string folder = RepoPaths.NewTempFolder("llmops-ipynb");
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", MakeNotebooks, folder]);
        Assert.True(result.ExitCode == 0, result.Output);
        return folder;
    }

    [Theory]
    [InlineData("full.ipynb")]
    [InlineData("v44.ipynb")]
    public async Task A_notebook_written_by_nbformat_round_trips_byte_for_byte(string name)
    {
        string path = Path.Combine(await NotebooksFromPython(), name);
        string original = await File.ReadAllTextAsync(path);

        Assert.Equal(original, IpynbFormat.Write(IpynbFormat.Load(path)));
    }

    [Fact]
    public async Task Reading_keeps_every_field_and_exposes_the_known_ones()
    {
        var notebook = IpynbFormat.Load(Path.Combine(await NotebooksFromPython(), "full.ipynb"));

        Assert.Equal(4, notebook.Cells.Count);
        Assert.Equal("var x = 1;\r\nx\n", notebook.Cells[2].Source);
        Assert.Equal(new[] { "parameters" }, notebook.Cells[2].Tags);
        var outputs = notebook.Cells[2].Outputs;
        Assert.Equal("line 1\nline 2\n", outputs[0].Text);
        Assert.Equal("a\nb", outputs[2].GetText("text/plain"));
        Assert.Equal("{\"k\":[1,2]}", outputs[2].GetText("application/json"));
        Assert.Equal("DivideByZeroException", outputs[4].EName);
        Assert.NotNull(notebook.Cells[0].Extra["attachments"]);
        Assert.Equal("csharp", notebook.DefaultKernelName);
    }

    [Fact]
    public async Task Notebooks_we_write_pass_the_validator_and_are_a_fixed_point_of_nbformat()
    {
        var document = NotebookDocument.CreateCSharp();
        document.Cells.Add(NotebookCell.Markdown("# Hello\nWorld", "intro"));
        var code = NotebookCell.Code("Console.WriteLine(\"hi\");\n1 + 1", "code-1");
        code.ExecutionCount = 1;
        code.Outputs.Add(CellOutput.Stream("stdout", "hi\n"));
        code.Outputs.Add(CellOutput.Result([new("text/plain", "2"), new("text/html", "<b>2</b>")], 1));
        code.Outputs.Add(CellOutput.Error("Exception", "boom", ["at line 1", "at line 2"]));
        code.Metadata["llmops"] = new System.Text.Json.Nodes.JsonObject { ["duration_s"] = 0.25, ["status"] = "ok" };
        document.Cells.Add(code);
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-ipynb"), "ours.ipynb");
        IpynbFormat.Save(document, path);

        var (valid, errors) = await NbformatValidator.ValidateAsync(path);
        Assert.True(valid, errors);
        // nbformat reading and rewriting our file changes nothing: we write exactly what it writes.
        string rewritten = path + ".python.ipynb";
        var python = await ProcessRunner.RunAsync("/usr/bin/python3",
            ["-c", "import sys, nbformat; nbformat.write(nbformat.read(sys.argv[1], as_version=4), sys.argv[2])", path, rewritten]);
        Assert.True(python.ExitCode == 0, python.Output);
        Assert.Equal(await File.ReadAllTextAsync(path), await File.ReadAllTextAsync(rewritten));
    }

    [Fact]
    public void Malformed_json_is_reported_with_the_file_and_line()
    {
        var error = Assert.Throws<NotebookFormatException>(() => IpynbFormat.Read("{\n \"cells\": [\n  {,\n ]\n}", "broken.ipynb"));
        Assert.Equal("broken.ipynb", error.Path);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("broken.ipynb, line 3: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}}", "missing the 'cells' array")]
    [InlineData("{\"cells\": [], \"metadata\": {}}", "missing 'nbformat'")]
    [InlineData("{\"nbformat\": 3, \"nbformat_minor\": 0, \"cells\": []}", "nbformat 3 is not supported")]
    [InlineData("[1, 2]", "a notebook is a JSON object")]
    public void A_notebook_without_its_required_parts_is_refused_by_name(string json, string problem)
    {
        var error = Assert.Throws<NotebookFormatException>(() => IpynbFormat.Read(json, "nb.ipynb"));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("nb.ipynb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Floats_are_written_the_way_python_writes_them()
    {
        double[] values = [0.1, 1.0, 2.5, -3.0, 1e-5, 1.5e-7, 0.0001, 123456789.125, 1e16, 1.2345678901234567e20, 1e15, -0.0, 0.30000000000000004];
        var python = await ProcessRunner.RunAsync("/usr/bin/python3",
            ["-c", "import sys; print(' '.join(repr(float(v)) for v in sys.argv[1:]))", .. values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.Equal(python.Output.Trim(), string.Join(' ', values.Select(PythonJsonWriter.PythonFloat)));
    }
}
