using System.Text.Json;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

public class CliTests
{
    static Task<(int ExitCode, string Output, string Error)> Run(params string[] args) => Cli.Run(args);

    [Fact]
    public async Task Env_reports_device_threads_libtorch_and_a_measured_matmul_rate_as_json()
    {
        var (exitCode, output, _) = await Run("env", "--json", "--device", "cpu", "--matmul-size", "128", "--matmul-seconds", "0.05");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("cpu", root.GetProperty("device").GetProperty("name").GetString());
        Assert.True(root.GetProperty("threads").GetInt32() >= 1);
        Assert.StartsWith("2.10", root.GetProperty("libTorchVersion").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("matmul").GetProperty("gFlops").GetDouble() > 0);
    }

    [Fact]
    public async Task Env_prints_a_table_with_every_row()
    {
        var (exitCode, output, _) = await Run("env", "--matmul-size", "64", "--matmul-seconds", "0.01");

        Assert.Equal(0, exitCode);
        foreach (string row in new[] { "device", "threads", "libtorch", "TorchSharp", "native load", "cpu kernels", "GFLOP/s" })
            Assert.Contains(row, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_device_is_a_usage_error_that_names_it()
    {
        var (exitCode, _, error) = await Run("env", "--device", "quantum");
        Assert.Equal(2, exitCode);
        Assert.Contains("'quantum'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_trains_until_the_loss_falls_tenfold_and_writes_every_loss()
    {
        string folder = RepoPaths.NewTempFolder("llmops-smoke");
        var (exitCode, output, _) = await Run("smoke", "--steps", "200", "--device", "cpu", "--out", folder);

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "result.json")));
        var losses = json.RootElement.GetProperty("losses").EnumerateArray().Select(l => l.GetDouble()).ToArray();
        Assert.Equal(200, losses.Length);
        Assert.True(losses[^1] < losses[0] / 10, $"{losses[0]} -> {losses[^1]}");
        Assert.Contains("step 200/200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_llmops_command_runs_from_its_build_output()
    {
        var result = await ProcessRunner.RunAsync("dotnet",
            [RepoPaths.Output("src/LlmOps.Cli", "llmops.dll"), "env", "--matmul-size", "64", "--matmul-seconds", "0.01"],
            new Dictionary<string, string?> { ["LLMOPS_DEVICE"] = "cpu" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("from LLMOPS_DEVICE", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_line_the_parser_refuses_exits_2_like_every_usage_error()
    {
        var (unknownOption, _, error) = await Run("env", "--no-such-option");
        var (missingArgument, _, _) = await Run("runs", "show");
        var (wrongType, _, _) = await Run("env", "--matmul-size", "abc");

        Assert.Equal((2, 2, 2), (unknownOption, missingArgument, wrongType));
        Assert.Contains("--no-such-option", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_says_which_kernel_path_libtorch_takes_and_whether_the_environment_pins_it()
    {
        string dll = RepoPaths.Output("src/LlmOps.Cli", "llmops.dll");
        string[] args = [dll, "env", "--json", "--matmul-size", "64", "--matmul-seconds", "0.01"];
        var native = await ProcessRunner.RunAsync("dotnet", args, new Dictionary<string, string?> { ["ATEN_CPU_CAPABILITY"] = null, ["ONEDNN_MAX_CPU_ISA"] = null });
        var pinned = await ProcessRunner.RunAsync("dotnet", args, new Dictionary<string, string?> { ["ATEN_CPU_CAPABILITY"] = "avx2", ["ONEDNN_MAX_CPU_ISA"] = "AVX2" });

        Assert.True(native.ExitCode == 0, native.Output);
        // The output is stdout and stderr together; the report is the JSON object in it.
        static JsonDocument Report(string output) => JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..(output.LastIndexOf('}') + 1)]);
        using var report = Report(native.Output);
        var kernels = report.RootElement.GetProperty("cpuKernels");
        bool avx512 = File.ReadAllText("/proc/cpuinfo").Contains(" avx512bw ", StringComparison.Ordinal);
        Assert.Equal(avx512, kernels.GetProperty("avx512").GetBoolean());
        Assert.Equal(avx512 ? "avx512" : "avx2", kernels.GetProperty("atenCapability").GetString());
        Assert.False(kernels.GetProperty("pinned").GetBoolean());
        Assert.True(pinned.ExitCode == 0, pinned.Output);
        using var capped = Report(pinned.Output);
        Assert.Equal("avx2", capped.RootElement.GetProperty("cpuKernels").GetProperty("atenCapability").GetString());
        Assert.True(capped.RootElement.GetProperty("cpuKernels").GetProperty("pinned").GetBoolean());
    }
}

public class NotebookCliTests
{
    static async Task<(int ExitCode, string Output)> Run(params string[] args)
    {
        var (exitCode, output, error) = await Cli.Run(args);
        return (exitCode, output + error);
    }

    [Fact]
    public async Task Notebook_run_exits_nonzero_with_a_summary_when_a_cell_fails()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-nb");
        await File.WriteAllTextAsync(Path.Combine(folder, "a-good.dib"), "#!csharp\n\nConsole.WriteLine(1 + 1);\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "b-bad.dib"), "#!csharp\n\nthrow new Exception(\"planned failure\");\n");
        string output = Path.Combine(folder, "out");

        var (exitCode, text) = await Run("notebook", "run", folder, "--out", output);

        Assert.Equal(1, exitCode);
        Assert.Contains("a-good.dib", text, StringComparison.Ordinal);
        Assert.Contains("planned failure", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "a-good.ipynb")));
        Assert.True(File.Exists(Path.Combine(output, "b-bad.html")));
        Assert.True(File.Exists(Path.Combine(output, "junit.xml")));
    }

    [Fact]
    public async Task Notebook_run_rejects_a_malformed_parameter_and_a_missing_path()
    {
        Assert.Equal(2, (await Run("notebook", "run", ".", "-p", "novalue")).ExitCode);
        var (exitCode, text) = await Run("notebook", "run", "/no/such/notebook.ipynb");
        Assert.Equal(1, exitCode); // bad input, where the malformed -p is a usage error
        Assert.Contains("/no/such/notebook.ipynb", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_turns_the_welcome_notebook_into_dib_and_back()
    {
        string folder = RepoPaths.NewTempFolder("llmops-cli-convert");
        string dib = Path.Combine(folder, "welcome.dib"), ipynb = Path.Combine(folder, "welcome.ipynb");

        Assert.Equal(0, (await Run("notebook", "convert", RepoPaths.Path("notebooks", "00-welcome.ipynb"), dib)).ExitCode);
        Assert.Equal(0, (await Run("notebook", "convert", dib, ipynb)).ExitCode);

        string text = await File.ReadAllTextAsync(dib);
        Assert.StartsWith("#!meta", text, StringComparison.Ordinal);
        Assert.Contains("#!csharp\n\n#!llmops-help\n", text, StringComparison.Ordinal);
        var (exitCode, error) = await Run("notebook", "convert", Path.Combine(folder, "missing.ipynb"), dib);
        Assert.Equal(1, exitCode);
        Assert.Contains("missing.ipynb", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extension_script_prints_the_committed_script()
    {
        var (exitCode, text) = await Run("notebook", "extension-script");
        Assert.Equal(0, exitCode);
        Assert.Equal(await File.ReadAllTextAsync(RepoPaths.Path("extensions", "LlmOps.Interactive", "Kernel", "extension.dib")), text);
    }
}
