using LlmOps.Interactive.Documents;
using LlmOps.Tests;

namespace LlmOps.Interactive.Tests.Documents;

public class DibFormatTests
{
    // As VS Code's Polyglot Notebooks writes it.
    const string VsCodeDib = "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"},{\"aliases\":[\"js\"],\"languageName\":\"JavaScript\",\"name\":\"javascript\"}]}}\n\n" +
        "#!markdown\n\n# Title\n\nText.\n\n#!csharp\n\n#!llmops-help\nvar x = 1;\n\n\nx\n\n#!javascript\n\nconsole.log(1);\n";

    [Fact]
    public void A_vs_code_dib_round_trips_byte_for_byte()
    {
        Assert.Equal(VsCodeDib, DibFormat.Write(DibFormat.Read(VsCodeDib, "nb.dib")));
    }

    [Fact]
    public void Kernel_lines_start_cells_and_magic_lines_stay_inside_them()
    {
        var notebook = DibFormat.Read(VsCodeDib, "nb.dib");

        Assert.Equal(new[] { "markdown", "code", "code" }, notebook.Cells.Select(c => c.CellType));
        Assert.Equal("#!llmops-help\nvar x = 1;\n\n\nx", notebook.Cells[1].Source);
        Assert.Equal("csharp", notebook.Cells[1].KernelName);
        Assert.Equal("javascript", notebook.Cells[2].KernelName);
        Assert.Equal("# Title\n\nText.", notebook.Cells[0].Source);
    }

    [Fact]
    public void Kernel_aliases_from_the_meta_block_are_recognised()
    {
        var notebook = DibFormat.Read("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[\"mine\"],\"name\":\"custom\"}]}}\n\n#!mine\n\nhello\n", "a.dib");
        Assert.Equal("custom", notebook.Cells.Single().KernelName);
    }

    [Fact]
    public async Task A_dib_converted_to_ipynb_passes_the_validator()
    {
        string folder = RepoPaths.NewTempFolder("llmops-dib");
        string dib = Path.Combine(folder, "nb.dib");
        await File.WriteAllTextAsync(dib, VsCodeDib);

        var notebook = NotebookConverter.Load(dib);
        string ipynb = Path.Combine(folder, "nb.ipynb");
        NotebookConverter.Save(notebook, ipynb);

        var (valid, errors) = await NbformatValidator.ValidateAsync(ipynb);
        Assert.True(valid, errors);
        var back = IpynbFormat.Load(ipynb);
        Assert.Equal(".net-csharp", back.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("javascript", back.Metadata["polyglot_notebook"]!["kernelInfo"]!["items"]![1]!["name"]!.GetValue<string>());
        Assert.Equal(notebook.Cells.Select(c => c.Source), back.Cells.Select(c => c.Source));
        // and back to .dib: the same text (outputs have no place in .dib)
        string again = Path.Combine(folder, "again.dib");
        NotebookConverter.Save(back, again);
        Assert.Equal(VsCodeDib, await File.ReadAllTextAsync(again));
    }

    [Fact]
    public void A_broken_meta_block_names_the_file_and_line()
    {
        var error = Assert.Throws<NotebookFormatException>(() => DibFormat.Read("#!meta\n\n{\"kernelInfo\": \n\n#!csharp\n\n1\n", "bad.dib"));
        Assert.Equal("bad.dib", error.Path);
        Assert.True(error.Line >= 2, error.Message);
    }

    [Fact]
    public void An_unknown_extension_is_refused_by_name()
    {
        var error = Assert.Throws<NotebookFormatException>(() => NotebookConverter.Load("/tmp/notes.txt"));
        Assert.Contains("/tmp/notes.txt", error.Message, StringComparison.Ordinal);
    }
}
