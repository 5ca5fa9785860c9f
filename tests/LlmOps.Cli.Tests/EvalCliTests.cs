using System.Text.Json.Nodes;
using System.Xml.Linq;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Interactive.Commands;
using LlmOps.Tests;

namespace LlmOps.Cli.Tests;

/// <summary><c>llmops eval</c> end to end on a tiny untrained checkpoint made here: its scores are whatever the seeded
/// weights give, and the gate only compares them with a baseline.</summary>
public class EvalCliTests
{
    static readonly string[] Corpus =
    [
        "The capital of France is Paris.", "The capital of Italy is Rome.", "Water boils at one hundred degrees.",
        "Two plus two is four.", "The sky is blue and the grass is green.", "Cats chase mice and dogs chase cats.",
    ];

    /// <summary>A folder with a tokenizer registry, a checkpoint naming its tokenizer, and a two-task suite.</summary>
    static (string Suite, string Model, string Root, string Folder) Setup()
    {
        TorchRuntime.EnsureInitialized();
        string folder = RepoPaths.NewTempFolder("llmops-cli-eval");
        string root = Path.Combine(folder, "tokenizers");
        var tokenizer = new BpeTrainer(new BpeTrainerConfig(VocabSize: 300, Name: "eval-cli-tiny")).Train(Corpus).Model;
        new TokenizerRegistry(root).Save(tokenizer);
        foreach (var (name, seed) in new[] { ("tiny-step-1", 5), ("tiny-other", 6) })
        {
            using var model = new Gpt(new GptConfig(LlmTokenizer.FromModel(tokenizer).VocabSize, BlockSize: 16, Layers: 1, Heads: 2, EmbeddingSize: 16), seed: seed);
            GptCheckpoint.Save(Path.Combine(folder, name), model, new CheckpointMetadata(Tokenizer: "eval-cli-tiny"));
        }
        File.WriteAllLines(Path.Combine(folder, "mc.jsonl"),
        [
            """{"question": "The capital of France is", "choices": ["Paris.", "Rome.", "a cheese."], "answer": 0}""",
            """{"question": "Two plus two is", "choices": ["four.", "green."], "answer": 0}""",
            """{"question": "Water boils at", "choices": ["four.", "one hundred degrees."], "answer": 1}""",
            """{"question": "The sky is", "choices": ["blue", "a mouse"], "answer": 0}""",
            """{"question": "Which is the full sentence that the old teacher wrote on the board this morning?", "choices": ["A long day.", "None."], "answer": 0}""",
        ]);
        File.WriteAllLines(Path.Combine(folder, "docs.jsonl"), [.. Corpus.Select(c => new JsonObject { ["text"] = c }.ToJsonString())]);
        File.WriteAllText(Path.Combine(folder, "suite.json"), """
            {
              "name": "cli-tiny",
              "tasks": [
                { "name": "mc", "kind": "multiple_choice", "data": "mc.jsonl", "prompt": "{question}", "metrics": ["acc", "acc_norm"] },
                { "name": "docs", "kind": "loglikelihood_rolling", "data": "docs.jsonl", "prompt": "{text}", "metrics": ["perplexity"] }
              ]
            }
            """);
        return (Path.Combine(folder, "suite.json"), Path.Combine(folder, "tiny-step-1"), root, folder);
    }

    [Fact]
    public async Task A_run_matches_its_own_baseline_and_fails_one_with_higher_scores_naming_metric_and_delta()
    {
        var (suite, model, root, folder) = Setup();
        string first = Path.Combine(folder, "first.json");

        var run = await Cli.Run("eval", suite, "--model", model, "--root", root, "--out", first);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var report = EvalReport.Load(first);
        Assert.Equal(("cli-tiny", "tiny-step-1"), (report.Suite, report.Model));
        Assert.Equal(["mc", "docs"], report.Tasks.Select(t => t.Task));
        Assert.Equal(5, report.Tasks[0].Count);
        double acc = report.Value("mc", "acc")!.Value, perplexity = report.Value("docs", "perplexity")!.Value;
        Assert.InRange(acc, 0, 1);
        Assert.True(perplexity > 1, $"perplexity {perplexity}");

        // The same seeded checkpoint scores the same: its own results pass as a baseline.
        string passJunit = Path.Combine(folder, "pass.xml");
        var pass = await Cli.Run("eval", suite, "--model", model, "--root", root, "--baseline", first, "--junit", passJunit);
        Assert.True(pass.ExitCode == 0, pass.Output + pass.Error);
        Assert.Contains("passed", pass.Output, StringComparison.Ordinal);
        var passSuite = XDocument.Load(passJunit).Root!.Element("testsuite")!;
        Assert.Equal(("3", "0"), (passSuite.Attribute("tests")!.Value, passSuite.Attribute("failures")!.Value));

        // A baseline half a point better on acc and with a lower perplexity: both regress, acc_norm does not.
        string better = Path.Combine(folder, "better.json");
        var json = JsonNode.Parse(File.ReadAllText(first))!;
        json["tasks"]![0]!["metrics"]!["acc"] = acc + 0.5;
        json["tasks"]![1]!["metrics"]!["perplexity"] = perplexity - 1;
        File.WriteAllText(better, json.ToJsonString());
        string failJunit = Path.Combine(folder, "fail.xml");
        var fail = await Cli.Run("eval", suite, "--model", model, "--root", root, "--baseline", better, "--junit", failJunit);

        Assert.True(fail.ExitCode == CommandExitCodes.CheckFailed, fail.Output + fail.Error);
        Assert.True(fail.Output.Contains("mc/acc: dropped from", StringComparison.Ordinal), fail.Output);
        Assert.Contains("mc/acc: dropped from", fail.Output, StringComparison.Ordinal);
        Assert.Contains("delta -0.5,", fail.Output, StringComparison.Ordinal);
        Assert.Contains("docs/perplexity: rose from", fail.Output, StringComparison.Ordinal);
        Assert.Contains("delta +1,", fail.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("acc_norm: dropped", fail.Output, StringComparison.Ordinal);
        var failSuite = XDocument.Load(failJunit).Root!.Element("testsuite")!;
        Assert.Equal(("3", "2"), (failSuite.Attribute("tests")!.Value, failSuite.Attribute("failures")!.Value));
        Assert.Equal(["acc", "perplexity"], failSuite.Elements("testcase").Where(c => c.Element("failure") is not null).Select(c => c.Attribute("name")!.Value));

        // A tolerance wider than both drops lets the run pass.
        var tolerated = await Cli.Run("eval", suite, "--model", model, "--root", root, "--baseline", better, "--tolerance", "1.5");
        Assert.True(tolerated.ExitCode == 0, tolerated.Output + tolerated.Error);
    }

    [Fact]
    public async Task A_cached_local_run_stores_each_generated_answer_once_and_a_rerun_reads_them_back()
    {
        var (_, model, root, folder) = Setup();
        File.WriteAllLines(Path.Combine(folder, "qa.jsonl"), ["""{"question": "The capital of France is", "answer": "Paris."}""",
            """{"question": "Two plus two is", "answer": "four."}"""]);
        File.WriteAllText(Path.Combine(folder, "gen.json"), """
            { "name": "gen", "tasks": [ { "name": "qa", "kind": "generate_until", "data": "qa.jsonl", "prompt": "{question}",
              "metrics": ["exact_match"], "generation": { "maxTokens": 4 } } ] }
            """);
        string cache = Path.Combine(folder, "cache"), first = Path.Combine(folder, "gen1.json"), second = Path.Combine(folder, "gen2.json");
        string[] common = ["eval", Path.Combine(folder, "gen.json"), "--model", model, "--root", root, "--cache", cache];

        var one = await Cli.Run([.. common, "--out", first]);
        var two = await Cli.Run([.. common, "--out", second]);

        Assert.True(one.ExitCode == 0 && two.ExitCode == 0, one.Error + two.Error);
        // One file (the checkpoint's content hash names the model), one line per item: the rerun added nothing.
        string file = Assert.Single(Directory.GetFiles(cache));
        Assert.Equal(2, File.ReadAllLines(file).Length);
        Assert.Contains("\"Model\":\"checkpoint ", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(EvalReport.Load(first).Tasks[0].Items.Select(i => i.Output), EvalReport.Load(second).Tasks[0].Items.Select(i => i.Output));
    }

    [Fact]
    public async Task A_missing_baseline_is_bad_input_naming_the_file()
    {
        var (suite, model, root, folder) = Setup();
        string missing = Path.Combine(folder, "nope.json");

        var run = await Cli.Run("eval", suite, "--model", model, "--root", root, "--baseline", missing);

        Assert.Equal(CommandExitCodes.BadInput, run.ExitCode);
        Assert.Contains("nope.json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leaderboard_of_two_runs_lists_both_models_with_a_comparison()
    {
        var (suite, model, root, folder) = Setup();
        string a = Path.Combine(folder, "a.json"), b = Path.Combine(folder, "b.json");
        Assert.Equal(0, (await Cli.Run("eval", suite, "--model", model, "--root", root, "--out", a)).ExitCode);
        Assert.Equal(0, (await Cli.Run("eval", suite, "--model", Path.Combine(folder, "tiny-other"), "--root", root, "--out", b)).ExitCode);

        var board = await Cli.Run("leaderboard", $"{a},{b}");

        Assert.True(board.ExitCode == 0, board.Output + board.Error);
        Assert.Contains("tiny-step-1", board.Output, StringComparison.Ordinal);
        Assert.Contains("tiny-other", board.Output, StringComparison.Ordinal);
        Assert.Contains("Bradley-Terry", board.Output, StringComparison.Ordinal);
        Assert.Contains("Paired bootstrap", board.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluations_recorded_in_a_store_make_a_leaderboard_of_one_suite_and_show_their_lineage()
    {
        var (suite, model, root, folder) = Setup();
        string store = Path.Combine(folder, "runs.db"), saved = Path.Combine(folder, "a.json");
        Assert.Equal(0, (await Cli.Run("eval", suite, "--model", model, "--root", root, "--store", store, "--out", saved)).ExitCode);
        Assert.Equal(0, (await Cli.Run("eval", suite, "--model", Path.Combine(folder, "tiny-other"), "--root", root, "--store", store)).ExitCode);

        var board = await Cli.Run("leaderboard", "--store", store, "--suite", "cli-tiny");

        Assert.True(board.ExitCode == 0, board.Output + board.Error);
        Assert.Contains("tiny-step-1", board.Output, StringComparison.Ordinal);
        Assert.Contains("tiny-other", board.Output, StringComparison.Ordinal);
        Assert.Contains("Paired bootstrap", board.Output, StringComparison.Ordinal);
        // The saved results name their run in the store; that run shows the suite's data and the model as artifacts.
        var lineage = EvalReport.Load(saved).Lineage!;
        Assert.Null(lineage.ModelRun); // saved by hand, not by a tracked training run
        var shown = await Cli.Run("runs", "show", lineage.EvalRun!, "--store", store);
        Assert.True(shown.ExitCode == 0, shown.Output + shown.Error);
        Assert.Contains(lineage.SuiteData!, shown.Output, StringComparison.Ordinal);
        Assert.Contains("artifact model", shown.Output, StringComparison.Ordinal);

        var none = await Cli.Run("leaderboard", "--store", store, "--suite", "no-such-suite");
        Assert.Equal(CommandExitCodes.BadInput, none.ExitCode);
        Assert.Contains("no-such-suite", none.Error, StringComparison.Ordinal);
        var missing = await Cli.Run("leaderboard", "--store", Path.Combine(folder, "typo.db"));
        Assert.Equal(CommandExitCodes.BadInput, missing.ExitCode);
        Assert.Contains("typo.db", missing.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "typo.db")));
    }

    [Fact]
    public async Task Items_sharing_a_13_gram_with_training_files_are_flagged_and_can_be_left_out()
    {
        var (suite, model, root, folder) = Setup();
        string training = Path.Combine(folder, "train.txt");
        File.WriteAllText(training, "Yesterday the full sentence that the old teacher wrote on the board this morning was erased.\n");
        string flaggedOut = Path.Combine(folder, "flagged.json"), cleanOut = Path.Combine(folder, "clean.json");

        var flagged = await Cli.Run("eval", suite, "--model", model, "--root", root, "--train-files", training, "--out", flaggedOut);
        var clean = await Cli.Run("eval", suite, "--model", model, "--root", root, "--train-files", training, "--exclude-contaminated", "--out", cleanOut);

        Assert.True(flagged.ExitCode == 0 && clean.ExitCode == 0, flagged.Output + flagged.Error + clean.Error);
        Assert.Contains("1 of 1 items share a 13-gram", flagged.Output, StringComparison.Ordinal);
        Assert.Contains("the full sentence that the old teacher wrote on the board this morning", flagged.Output.Replace("\n", " ", StringComparison.Ordinal)
            .Replace("│", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries) is var words ? string.Join(' ', words) : "", StringComparison.Ordinal);
        Assert.Equal(5, EvalReport.Load(flaggedOut).Tasks[0].Count);
        Assert.Equal(4, EvalReport.Load(cleanOut).Tasks[0].Count);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(folder, "mc.jsonl")).Length);
    }
}
