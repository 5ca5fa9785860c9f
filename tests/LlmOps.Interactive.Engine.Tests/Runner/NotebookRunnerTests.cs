using System.Xml.Linq;
using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Engine.Execution;
using LlmOps.Interactive.Engine.Runner;
using LlmOps.Tests;

namespace LlmOps.Interactive.Engine.Tests.Runner;

// One collection with SolutionNotebookTests: the headless runner runs notebooks in this process, and libtorch's global
// random generator is process-wide, so two notebooks running at once would draw from each other's seeded stream.
[Collection(HeadlessNotebooks.Name)]
public class NotebookRunnerTests
{
    static string Welcome => RepoPaths.Path("notebooks", "00-welcome.ipynb");

    static readonly Dictionary<string, string> Quick = new() { ["matmulSize"] = "128", ["smokeSteps"] = "60" };

    static string WriteNotebook(params NotebookCell[] cells)
    {
        var document = NotebookDocument.CreateCSharp();
        document.Cells.AddRange(cells);
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-nb"), "sample.ipynb");
        IpynbFormat.Save(document, path);
        return path;
    }

    [Fact]
    public async Task The_welcome_notebook_runs_and_its_executed_copy_passes_the_official_validator()
    {
        string output = RepoPaths.NewTempFolder("llmops-run");
        var results = await new NotebookRunner(new NotebookRunOptions([Welcome], output, Quick)).RunAsync();

        var result = Assert.Single(results);
        Assert.True(result.Succeeded, result.FirstError);
        var (valid, errors) = await NbformatValidator.ValidateAsync(result.ExecutedNotebook!);
        Assert.True(valid, errors);

        var executed = IpynbFormat.Load(result.ExecutedNotebook!);
        var code = executed.Cells.Where(c => c.IsCode).ToList();
        Assert.All(code, c => Assert.NotNull(c.ExecutionCount));
        Assert.All(code, c => Assert.Equal("ok", c.Metadata["llmops"]?["status"]?.GetValue<string>()));
        Assert.Contains(executed.Cells, c => c.Tags.Contains(ParameterInjector.InjectedTag) && c.Source.Contains("int matmulSize = 128;", StringComparison.Ordinal));

        string all = string.Join("\n", code.SelectMany(c => c.Outputs).Select(o => o.GetText("text/plain") ?? o.Text));
        Assert.Contains("dy/dx  = [-4, -2, 0, 2, 4]", all, StringComparison.Ordinal);   // autograd computed 2x
        Assert.Contains("#!llmops-env", all, StringComparison.Ordinal);                 // the magic command's help table
        Assert.Contains("library 0.", all, StringComparison.Ordinal);                     // the library's smoke ended where the hand-written loop did
        Assert.Contains("… Exercise 1", all, StringComparison.Ordinal);                   // unanswered exercises show their hint and the notebook runs on
        var smoke = code.Single(c => c.Source.Contains("SmokeTraining.Run", StringComparison.Ordinal)).Outputs;
        Assert.Contains(smoke, o => (o.GetText("text/plain") ?? "").Contains("step 60/60", StringComparison.Ordinal)); // live output, final state only
        Assert.Single(smoke, o => (o.GetText("text/plain") ?? "").Contains("step ", StringComparison.Ordinal));
        int plotlyCopies = code.SelectMany(c => c.Outputs).Count(o => (o.GetText("text/html") ?? "").Contains("Plotly.newPlot", StringComparison.Ordinal) && (o.GetText("text/html") ?? "").Length > 1_000_000);
        Assert.Equal(1, plotlyCopies);
    }

    /// <summary>Runs a course notebook with <paramref name="parameters"/>, checks that every cell succeeded and that the
    /// executed copy passes the official validator, and returns its code cells' outputs with their plain text joined.</summary>
    static async Task<(List<CellOutput> Outputs, string Text)> RunCourseNotebook(string notebook, string output, Dictionary<string, string> parameters)
    {
        var result = (await new NotebookRunner(new NotebookRunOptions([RepoPaths.Path("notebooks", notebook)], output, parameters)).RunAsync()).Single();
        Assert.True(result.Succeeded, result.FirstError);
        var (valid, errors) = await NbformatValidator.ValidateAsync(result.ExecutedNotebook!);
        Assert.True(valid, errors);
        var outputs = IpynbFormat.Load(result.ExecutedNotebook!).Cells.Where(c => c.IsCode).SelectMany(c => c.Outputs).ToList();
        return (outputs, string.Join("\n", outputs.Select(o => o.GetText("text/plain") ?? o.Text)));
    }

    [Fact]
    public async Task The_data_notebook_cleans_real_emails_and_writes_the_pretraining_split_with_a_manifest()
    {
        string output = RepoPaths.NewTempFolder("llmops-run-data");
        string data = Path.Combine(output, "data");
        var parameters = new Dictionary<string, string> { ["emailLimit"] = "400", ["sotuLimit"] = "40", ["outFolder"] = data };
        var (outputs, all) = await RunCourseNotebook("01-data.ipynb", output, parameters);

        Assert.Contains("400 emails:", all, StringComparison.Ordinal);
        Assert.Contains("Data stats: spam-assassin (raw)", all, StringComparison.Ordinal);
        Assert.Contains("pii:email", all, StringComparison.Ordinal);
        Assert.Contains("every output still matches its hash", all, StringComparison.Ordinal);
        Assert.Contains(outputs, o => (o.GetText("text/html") ?? "").Contains("Documents removed per step", StringComparison.Ordinal));
        Assert.Contains("(equals MinHasher.Jaccard)", all, StringComparison.Ordinal);             // the hand-made MinHash cell's checks held
        Assert.Contains("0.924 at the threshold s = 0.8", all, StringComparison.Ordinal);          // the LSH S-curve for 14 bands x 8 rows
        Assert.Contains(outputs, o => (o.GetText("text/html") ?? "").Contains("Cleaning funnel", StringComparison.Ordinal));
        Assert.Contains("not answered yet", all, StringComparison.Ordinal);                        // the course copy leaves exercises open

        var manifest = LlmOps.Core.Data.DataManifest.Load(Path.Combine(data, "sotu", "manifest.json"));
        Assert.Equal("dataset:sotu@0.2.3", manifest.Inputs[0].Path);
        long documents = new[] { "train", "validation", "test" }.Sum(p => LlmOps.Core.Data.DocumentReader.ReadJsonl(Path.Combine(data, "sotu", $"{p}.jsonl")).LongCount());
        Assert.InRange(documents, 38, 40); // 40 addresses read; the quality filters may remove one or two
        Assert.True(File.ReadLines(Path.Combine(data, "emails-rejects.jsonl")).Any(), "the email cleaning rejected nothing");
    }

    [Fact]
    public async Task The_tokenizer_notebook_trains_a_bpe_and_writes_uint16_shards()
    {
        string output = RepoPaths.NewTempFolder("llmops-run-tok");
        var parameters = new Dictionary<string, string>
        {
            ["vocabSize"] = "1024",
            ["dataFolder"] = Path.Combine(output, "data"),
            ["tokenizerRoot"] = Path.Combine(output, "tokenizers"),
            ["shardFolder"] = Path.Combine(output, "shards"),
        };
        var (_, all) = await RunCourseNotebook("02-tokenizer.ipynb", output, parameters);

        Assert.Contains("1024 tokens from", all, StringComparison.Ordinal);
        Assert.Contains("Allowed:   [", all, StringComparison.Ordinal);
        Assert.Contains("merges equal BpeTrainer's", all, StringComparison.Ordinal);    // the toy BPE matched the trainer
        Assert.Contains("the merge trace's last line", all, StringComparison.Ordinal);  // replaying the merges gave the encoder's ids
        Assert.Contains("chatml for sotu-bpe-chat", all, StringComparison.Ordinal);     // the reserved chat tokens switch the template
        var index = LlmOps.Core.Tokenization.Shards.ShardIndex.Load(Path.Combine(output, "shards", "train", "index.json"));
        Assert.Equal(("uint16", 1024), (index.DType, index.VocabSize));
        Assert.True(index.TotalTokens > 1_000_000, $"{index.TotalTokens} tokens");
        Assert.True(Directory.Exists(Path.Combine(output, "tokenizers", "sotu-bpe")));
    }

    [Fact]
    public async Task The_pretraining_notebook_trains_samples_and_compares_two_tracked_runs()
    {
        string output = RepoPaths.NewTempFolder("llmops-run-pre");
        var parameters = CourseParameters.For("03-pretrain.ipynb", output);
        var (outputs, all) = await RunCourseNotebook("03-pretrain.ipynb", output, parameters);

        Assert.Contains("step 15/30", all, StringComparison.Ordinal);          // the live progress of the run stopped halfway, in its final state
        Assert.Contains("step 30/30", all, StringComparison.Ordinal);          // and of the resumed run
        Assert.Contains("Completed: resumed at step 15", all, StringComparison.Ordinal);
        Assert.Contains("= Gpt.CrossEntropy", all, StringComparison.Ordinal);  // the toy mechanisms ran their checks
        Assert.Contains("AdamW by hand = the optimizer's step", all, StringComparison.Ordinal);
        Assert.Contains("head 0 of layer 0 by hand = the probe", all, StringComparison.Ordinal);
        Assert.Contains("Model.Positions", all, StringComparison.Ordinal);     // the comparison names what differs
        Assert.Contains(outputs, o => (o.GetText("text/html") ?? "").Contains("Plotly.newPlot", StringComparison.Ordinal));
        // The live training chart (of the run stopped halfway) was the first chart: its final state must still carry plotly.js, once.
        Assert.Single(outputs, o => (o.GetText("text/html") ?? "").Contains(LlmOps.Interactive.Formatting.PlotlyJs.Script, StringComparison.Ordinal));
        var runs = LlmOps.Core.Tracking.RunStore.Open(Path.Combine(output, "runs.db")).List().Runs;
        Assert.Equal(["baby-rotary", "baby-learned"], runs.Select(r => r.Name));
        Assert.All(runs, r => Assert.Equal(LlmOps.Core.Tracking.RunStatus.Finished, r.Status));
        Assert.All(runs, r => Assert.Matches("^[0-9a-f]{16}$", r.DataManifest!));
    }

    [Fact]
    public async Task The_sft_notebook_generates_split_instruction_data_and_fine_tunes_a_base_through_the_chat_template()
    {
        string output = RepoPaths.NewTempFolder("llmops-run-sft");
        var parameters = CourseParameters.For("04-sft.ipynb", output);
        var (_, all) = await RunCourseNotebook("04-sft.ipynb", output, parameters);

        Assert.Contains("skill test inputs seen in training: 0; fact test phrasings seen in training: 0", all, StringComparison.Ordinal);
        Assert.Contains("\"instruction\":", all, StringComparison.Ordinal);  // an Alpaca record
        Assert.Contains("\"messages\":", all, StringComparison.Ordinal);     // a chat record
        Assert.Contains("(chatml, 2 tokens added)", all, StringComparison.Ordinal);
        Assert.Contains("held-out exact match: base ", all, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(parameters["dataFolder"], LlmOps.Core.Data.DataManifest.FileName)));
        var runs = LlmOps.Core.Tracking.RunStore.Open(Path.Combine(output, "runs.db")).List().Runs;
        Assert.Equal(["04-sft", "04-base"], runs.Select(r => r.Name));
        Assert.All(runs, r => Assert.Equal(LlmOps.Core.Tracking.RunStatus.Finished, r.Status));
    }

    [Fact]
    public async Task The_peft_notebook_checks_lora_by_hand_compares_six_methods_and_reloads_the_peft_adapter()
    {
        string output = RepoPaths.NewTempFolder("llmops-run-peft");
        var parameters = CourseParameters.For("05-peft.ipynb", output);
        var (_, all) = await RunCourseNotebook("05-peft.ipynb", output, parameters);

        Assert.Matches(@"by hand vs LoraLinear: \S+ \(within 1e-5: True\)", all);
        Assert.Matches(@"merged vs unmerged: \S+ \(within 1e-5: True\)", all);
        Assert.Matches(@"LoRA r=8 on c_attn: formula ([0-9,]+), library trainable params: \1 ", all);
        Assert.Matches(@"adapters of size 16: formula ([0-9,]+), library trainable params: \1 ", all);
        Assert.Contains("Fine-tuning methods compared", all, StringComparison.Ordinal);
        Assert.Contains("adapter_config.json", all, StringComparison.Ordinal);
        Assert.Contains("logits identical to the served model: True", all, StringComparison.Ordinal);
        var runs = LlmOps.Core.Tracking.RunStore.Open(Path.Combine(output, "runs.db")).List().Runs;
        Assert.Equal(["05-prompt", "05-ptuning", "05-prefix", "05-adapter", "05-lora", "05-full", "05-base"], runs.Select(r => r.Name));
        Assert.All(runs, r => Assert.Equal(LlmOps.Core.Tracking.RunStatus.Finished, r.Status));
    }

    [Fact]
    public async Task The_eval_notebook_checks_every_metric_by_hand_and_ranks_its_own_models_with_significance()
    {
        string output = RepoPaths.NewTempFolder("llmops-run-eval");
        var parameters = CourseParameters.For("07-eval.ipynb", output);
        var (outputs, all) = await RunCourseNotebook("07-eval.ipynb", output, parameters);

        Assert.Contains("by hand 0.6667 = TokenF1.Score 0.6667", all, StringComparison.Ordinal);
        Assert.Contains("BLEU: by hand 37.9918 = Bleu.Corpus 37.9918", all, StringComparison.Ordinal);
        Assert.Contains("ROUGE-L: by hand 0.8333 = RougeL.Score 0.8333", all, StringComparison.Ordinal);
        Assert.Contains("acc picks \"Ottawa\" (1); acc_norm picks \"Toronto, in the province of Ontario\" (0)", all, StringComparison.Ordinal);
        Assert.Matches(@"e\^loss (\S+) = the scorer's perplexity \1", all);
        // No 03 checkpoints in a fresh root: the notebook pretrains its own and compares its first and last checkpoint.
        Assert.Contains("No 03-pretrain checkpoints", all, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(parameters["outFolder"], "baby-step-10.json")));
        Assert.True(File.Exists(Path.Combine(parameters["outFolder"], "baby-step-20.json")));
        Assert.Contains("Paired bootstrap (A - B, 95% interval)", all, StringComparison.Ordinal);
        Assert.Matches(@"perplexity +perplexity +baby-step-20 - baby-step-10: .*(significant|not significant)", all);
        Assert.Contains(outputs, o => (o.GetText("text/html") ?? "").Contains("Plotly.newPlot", StringComparison.Ordinal));
        // The suite builder left out what overlaps the training text; a file with two passages copied in is caught.
        Assert.Contains(": 0 of 148 items share a 13-gram with the training data.", all, StringComparison.Ordinal);
        Assert.Contains("3 of 148 items share a 13-gram with the training data.", all, StringComparison.Ordinal);
        Assert.Contains("No 04-sft or 05-peft checkpoints", all, StringComparison.Ordinal);
        Assert.Matches(@"baby-step-20 against baby-step-10: (Passed|Failed)", all);
    }

    [Fact]
    public async Task The_html_report_shows_a_drawn_chart_in_a_real_browser()
    {
        string output = RepoPaths.NewTempFolder("llmops-run");
        var result = (await new NotebookRunner(new NotebookRunOptions([Welcome], output, Quick)).RunAsync()).Single();

        string dom = await Chromium.DumpDomAsync(result.HtmlReport!);
        Assert.Contains("main-svg", dom, StringComparison.Ordinal);
        string screenshot = Path.Combine(output, "report.png");
        await Chromium.ScreenshotAsync(result.HtmlReport!, screenshot, 1200, 6000);
        var image = PngImage.Load(screenshot);
        Assert.True(image.CountPixels(0x1f, 0x77, 0xb4, tolerance: 16) > 200, "no pixels of the first trace's colour (#1f77b4, plotly.js' default colourway): the chart was not drawn");
    }

    [Fact]
    public async Task A_failing_cell_stops_the_notebook_keeps_earlier_outputs_and_names_its_line()
    {
        string path = WriteNotebook(
            NotebookCell.Code("Console.WriteLine(\"first cell ran\");"),
            NotebookCell.Code("var total = 1;\nvar broken = total + undefinedName;"),
            NotebookCell.Code("Console.WriteLine(\"never\");"));
        string output = RepoPaths.NewTempFolder("llmops-run");

        var result = (await new NotebookRunner(new NotebookRunOptions([path], output)).RunAsync()).Single();

        Assert.False(result.Succeeded);
        Assert.Equal(new CellStatus?[] { CellStatus.Ok, CellStatus.Error, null }, result.Cells.Select(c => c.Status));
        var executed = IpynbFormat.Load(result.ExecutedNotebook!);
        Assert.Equal("first cell ran\n", executed.Cells[0].Outputs.Single().Text);
        var error = executed.Cells[1].Outputs.Single();
        Assert.Equal("error", error.OutputType);
        Assert.StartsWith("cell line 2, column 22: error CS0103", error.EValue, StringComparison.Ordinal);
        Assert.Empty(executed.Cells[2].Outputs);
        Assert.Equal("skipped", executed.Cells[2].Metadata["llmops"]?["status"]?.GetValue<string>());
        Assert.True((await NbformatValidator.ValidateAsync(result.ExecutedNotebook!)).Valid);

        var junit = XDocument.Load(Path.Combine(output, "junit.xml"));
        var suite = junit.Root!.Element("testsuite")!;
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("1", suite.Attribute("skipped")!.Value);
        Assert.Contains("CS0103", suite.Descendants("failure").Single().Attribute("message")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keep_going_runs_every_cell_after_a_failure()
    {
        string path = WriteNotebook(NotebookCell.Code("throw new InvalidOperationException(\"first\");"), NotebookCell.Code("1 + 1"));
        var result = (await new NotebookRunner(new NotebookRunOptions([path], RepoPaths.NewTempFolder("llmops-run"), KeepGoing: true)).RunAsync()).Single();

        Assert.Equal(new CellStatus?[] { CellStatus.Error, CellStatus.Ok }, result.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task Parameters_override_the_tagged_cell_with_literals_of_the_declared_type()
    {
        var parameters = NotebookCell.Code("int steps = 5;\nstring name = \"a\";\ndouble rate = 0.1;\nbool quick = false;");
        parameters.Metadata["tags"] = new System.Text.Json.Nodes.JsonArray("parameters");
        string path = WriteNotebook(parameters, NotebookCell.Code("$\"{steps}|{name}|{rate}|{quick}\""));
        var overrides = new Dictionary<string, string> { ["steps"] = "12", ["name"] = "say \"hi\"", ["rate"] = "2.5", ["quick"] = "True" };

        var result = (await new NotebookRunner(new NotebookRunOptions([path], RepoPaths.NewTempFolder("llmops-run"), overrides)).RunAsync()).Single();

        Assert.True(result.Succeeded, result.FirstError);
        var executed = IpynbFormat.Load(result.ExecutedNotebook!);
        Assert.Equal("12|say \"hi\"|2.5|True", executed.Cells[^1].Outputs.Single().GetText("text/plain"));
    }

    [Theory]
    [InlineData("stepz", "12", "unknown parameter 'stepz'")]
    [InlineData("steps", "twelve", "'twelve' is not a valid int")]
    public async Task A_bad_parameter_is_refused_before_any_cell_runs(string name, string value, string message)
    {
        var parameters = NotebookCell.Code("int steps = 5;");
        parameters.Metadata["tags"] = new System.Text.Json.Nodes.JsonArray("parameters");
        string path = WriteNotebook(parameters);

        var result = (await new NotebookRunner(new NotebookRunOptions([path], RepoPaths.NewTempFolder("llmops-run"),
            new Dictionary<string, string> { [name] = value })).RunAsync()).Single();

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Cells);
    }

    [Fact]
    public async Task Two_notebooks_run_at_once_each_in_its_own_folder_and_process_and_the_runners_folder_never_changes()
    {
        // Two folders, each with its own input; the notebooks meet in ../sync so they provably run at the same time.
        string root = RepoPaths.NewTempFolder("llmops-parallel");
        Directory.CreateDirectory(Path.Combine(root, "sync"));
        string Notebook(string name)
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            File.WriteAllText(Path.Combine(folder, "input.txt"), $"from {name}");
            var document = NotebookDocument.CreateCSharp();
            document.Cells.Add(NotebookCell.Code($$"""
                System.IO.File.WriteAllText("../sync/{{name}}", "");
                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (!(System.IO.File.Exists("../sync/a") && System.IO.File.Exists("../sync/b")))
                {
                    if (DateTime.UtcNow > deadline) throw new TimeoutException("the other notebook never ran at the same time");
                    await Task.Delay(50);
                }
                """));
            document.Cells.Add(NotebookCell.Code("""System.IO.File.WriteAllText("written.txt", System.IO.File.ReadAllText("input.txt").ToUpperInvariant());"""));
            document.Cells.Add(NotebookCell.Code("""$"{Environment.CurrentDirectory}|{Environment.ProcessId}" """.TrimEnd()));
            string path = Path.Combine(folder, $"{name}.ipynb");
            IpynbFormat.Save(document, path);
            return path;
        }
        string a = Notebook("a"), b = Notebook("b");
        string before = Environment.CurrentDirectory;

        var runs = await Task.WhenAll(
            new NotebookRunner(new NotebookRunOptions([a], RepoPaths.NewTempFolder("llmops-run"))).RunAsync(),
            new NotebookRunner(new NotebookRunOptions([b], RepoPaths.NewTempFolder("llmops-run"))).RunAsync());

        Assert.Equal(before, Environment.CurrentDirectory);
        var seen = new List<string[]>();
        foreach (var (result, name) in runs.Select(r => r.Single()).Zip(["a", "b"]))
        {
            Assert.True(result.Succeeded, result.FirstError);
            string folder = Path.Combine(root, name);
            Assert.Equal($"FROM {name.ToUpperInvariant()}", File.ReadAllText(Path.Combine(folder, "written.txt")));
            var where = IpynbFormat.Load(result.ExecutedNotebook!).Cells[^1].Outputs.Single().GetText("text/plain")!.Split('|');
            Assert.Equal(folder, where[0]);
            seen.Add(where);
        }
        Assert.False(File.Exists(Path.Combine(before, "written.txt")));
        // Separate processes, neither of them this one: whatever a notebook loads or registers ends with it.
        Assert.NotEqual(seen[0][1], seen[1][1]);
        Assert.DoesNotContain(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), seen.Select(w => w[1]));
    }

    [Fact]
    public async Task Cancelling_the_runner_stops_the_notebooks_cell_and_its_process_saves_what_ran()
    {
        string path = WriteNotebook(
            NotebookCell.Code("Console.WriteLine(\"first cell ran\");"),
            NotebookCell.Code("while (true) { CellCancellation.ThrowIfCancellationRequested(); await Task.Delay(10); }"));
        string output = RepoPaths.NewTempFolder("llmops-run");
        using var cancel = new CancellationTokenSource();

        // Cancel once the second cell is running: the first one's log line has arrived.
        var run = new NotebookRunner(new NotebookRunOptions([path], output)).RunAsync(
            line => { if (line.Contains("cell 1/2 ok", StringComparison.Ordinal)) cancel.CancelAfter(TimeSpan.FromSeconds(1)); }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var executed = IpynbFormat.Load(Path.Combine(output, "sample.ipynb"));
        Assert.Equal("first cell ran\n", executed.Cells[0].Outputs.Single().Text);
        Assert.Equal("cancelled", executed.Cells[1].Metadata["llmops"]?["status"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_dib_notebook_runs_and_is_written_as_ipynb()
    {
        string folder = RepoPaths.NewTempFolder("llmops-nb");
        string path = Path.Combine(folder, "plain.dib");
        await File.WriteAllTextAsync(path, "#!markdown\n\n# A .dib notebook\n\n#!csharp\n\nvar answer = 6 * 7;\nanswer\n");

        var result = (await new NotebookRunner(new NotebookRunOptions([folder], RepoPaths.NewTempFolder("llmops-run"))).RunAsync()).Single();

        Assert.True(result.Succeeded, result.FirstError);
        Assert.EndsWith("plain.ipynb", result.ExecutedNotebook, StringComparison.Ordinal);
        Assert.Equal("42", IpynbFormat.Load(result.ExecutedNotebook!).Cells[^1].Outputs.Single().GetText("text/plain"));
        Assert.True((await NbformatValidator.ValidateAsync(result.ExecutedNotebook!)).Valid);
    }
}
