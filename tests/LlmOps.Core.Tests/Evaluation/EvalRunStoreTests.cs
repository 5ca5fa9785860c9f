using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Evaluation;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Core.Tracking;
using LlmOps.Core.Training;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Evaluation;

/// <summary>Evaluations in the run store: a tiny model trained by the real trainer into a store, two of its
/// checkpoints evaluated and recorded, the leaderboard rebuilt from the store, and the lineage walked back from each
/// evaluation to the training run and the data it read.</summary>
public class EvalRunStoreTests
{
    static readonly string[] Sentences =
    [
        "The capital of France is Paris.", "The capital of Italy is Rome.", "Water boils at one hundred degrees.",
        "Two plus two is four.", "The sky is blue and the grass is green.", "Cats chase mice and dogs chase cats.",
    ];

    [Fact]
    public async Task Two_checkpoints_evaluated_into_the_store_make_a_leaderboard_whose_lineage_walks_back_to_the_training_run_and_its_data()
    {
        TorchRuntime.EnsureInitialized();
        string root = RepoPaths.NewTempFolder("llmops-eval-store");
        var registry = new TokenizerRegistry(Path.Combine(root, "tokenizers"));
        string tokenizerFolder = registry.Save(new BpeTrainer(new BpeTrainerConfig(VocabSize: 280, Name: "eval-store")).Train(Sentences).Model);
        var tokenizer = registry.Get(tokenizerFolder);
        string train = Path.Combine(root, "shards", "train"), validation = Path.Combine(root, "shards", "val");
        var documents = Enumerable.Range(0, 60).Select(i => new Document($"d{i}", Sentences[i % Sentences.Length], "test")).ToList();
        using (DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null)))
        {
            await TokenSharder.ShardAsync(documents, tokenizer.ToShardEncoder(), new ShardingOptions(train, MaxTokensPerShard: 100_000));
            await TokenSharder.ShardAsync(documents.Take(12), tokenizer.ToShardEncoder(), new ShardingOptions(validation, MaxTokensPerShard: 100_000));
        }
        string trainingData = DataManifest.Load(Path.Combine(train, DataManifest.FileName)).Id;
        string storePath = Path.Combine(root, "runs.db");
        PretrainResult training;
        using (DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null)))
            training = Pretrainer.Run(new PretrainConfig(
                new GptConfig(tokenizer.VocabSize, BlockSize: 32, Layers: 1, Heads: 2, EmbeddingSize: 32), train, validation, Path.Combine(root, "model"),
                BatchSize: 8, MaxSteps: 20, LearningRate: 1e-2, MinLearningRate: 1e-3, WarmupSteps: 2, EvalEvery: 10, EvalBatches: 2,
                CheckpointEvery: 10, KeepLast: 2, Device: "cpu", Seed: 3, Precision: MixedPrecision.Fp32, PeakFlopsPerSecond: 1e11,
                Tokenizer: tokenizerFolder, RunStorePath: storePath));
        Assert.Equal(2, training.Checkpoints.Count);

        string suitePath = Path.Combine(root, "suite", "facts.json");
        Directory.CreateDirectory(Path.GetDirectoryName(suitePath)!);
        File.WriteAllLines(Path.Combine(root, "suite", "mc.jsonl"),
        [
            """{"question": "The capital of France is", "choices": ["Paris.", "Rome.", "four."], "answer": 0}""",
            """{"question": "Two plus two is", "choices": ["four.", "green."], "answer": 0}""",
            """{"question": "Water boils at", "choices": ["four.", "one hundred degrees."], "answer": 1}""",
            """{"question": "Cats chase", "choices": ["Rome.", "mice and dogs chase cats."], "answer": 1}""",
        ]);
        File.WriteAllText(suitePath, """
            { "name": "facts", "tasks": [ { "name": "mc", "kind": "multiple_choice", "data": "mc.jsonl", "prompt": "{question}", "metrics": ["acc", "acc_norm"] } ] }
            """);
        var suite = EvalSuite.Load(suitePath);
        var store = RunStore.Open(storePath);

        var recorded = new List<EvalReport>();
        foreach (string checkpoint in training.Checkpoints)
        {
            using var loaded = GptCheckpoint.Load(checkpoint);
            using var model = EvalModel.Local(loaded.Model, registry.Get(loaded.Metadata.Tokenizer!));
            var results = await EvalRunner.RunAsync(suite, model);
            var report = new EvalReport(suite.Name, Path.GetFileName(checkpoint), results, loaded.Model.ParameterCount(), 1, EvalReport.Throughput(results),
                EvalLineage.Of(suitePath, suite, loaded.Folder, loaded.Metadata));
            recorded.Add(EvalRunStore.Record(store, report));
        }

        // Each evaluation knows its model's run and data, the suite's data, and its own run.
        string suiteData = EvalLineage.SuiteManifestId(suitePath, suite);
        foreach (var (report, checkpoint) in recorded.Zip(training.Checkpoints))
        {
            var lineage = report.Lineage!;
            Assert.Equal((Path.GetFullPath(checkpoint), training.RunId, trainingData, Path.GetFullPath(suitePath), suiteData),
                (lineage.Model, lineage.ModelRun, lineage.TrainingData, lineage.Suite, lineage.SuiteData));
            Assert.NotNull(lineage.EvalRun);
        }
        Assert.NotEqual(recorded[0].Lineage!.EvalRun, recorded[1].Lineage!.EvalRun);

        // The leaderboard from the store alone equals the one from the reports in hand, and shows the lineage.
        var stored = EvalRunStore.Load(store, "facts");
        Assert.Equal(recorded.Select(r => r.ToJson()), stored.Select(r => r.ToJson()));
        var board = Leaderboard.Build(stored);
        var direct = Leaderboard.Build(recorded);
        Assert.Equal(direct.Rows.Select(r => (r.Model, r.Values["mc/acc"], r.Values["mc/acc_norm"])), board.Rows.Select(r => (r.Model, r.Values["mc/acc"], r.Values["mc/acc_norm"])));
        Assert.Equal(direct.Comparisons.Select(c => c.Result), board.Comparisons.Select(c => c.Result));
        Assert.Single(board.Comparisons); // the two checkpoints, paired item by item on mc
        Assert.All(board.Rows, r => Assert.Equal((training.RunId, trainingData), (r.Lineage!.ModelRun, r.Lineage.TrainingData)));
        var table = EvalText.Board(board);
        Assert.Equal(["model run", "training data", "eval run"], table.Header.TakeLast(3));
        Assert.All(table.Rows, row => Assert.Equal([training.RunId!, trainingData], row[^3..^1]));
        Assert.Empty(EvalRunStore.Load(store, "another suite"));

        // From an evaluation run: eval -> its model's training run -> that run's data manifest.
        var evaluation = store.Get(recorded[1].Lineage!.EvalRun!);
        Assert.Equal((EvalRunStore.RunKind, RunStatus.Finished, suiteData, training.RunId), (evaluation.Summary.Kind, evaluation.Summary.Status, evaluation.Summary.DataManifest, evaluation.Summary.ParentRun));
        var parent = Assert.Single(evaluation.Lineage);
        Assert.Equal((training.RunId, Pretrainer.RunKind, trainingData), (parent.Id, parent.Kind, parent.DataManifest));
        Assert.Equal(recorded[1].Value("mc", "acc"), evaluation.Summary.LastMetrics["mc/acc"]);
        var modelArtifact = Assert.Single(evaluation.Artifacts, a => a.Name == "model");
        Assert.Equal(ManifestFile.Of(training.Checkpoints[1]).Sha256, modelArtifact.Sha256);
        Assert.Equal(ManifestFile.Of(suitePath).Sha256, Assert.Single(evaluation.Artifacts, a => a.Name == "suite").Sha256);
        string shown = TrackingText.Run(evaluation).ToText();
        Assert.Contains($"pretrain {training.RunId}", shown, StringComparison.Ordinal);
        Assert.Contains($"data manifest {trainingData}", shown, StringComparison.Ordinal);
        Assert.Empty(store.Get(training.RunId!).Lineage);

        // The suite's data id is a content id: the same files elsewhere give it, a changed item does not.
        string copy = Path.Combine(root, "copy");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(suitePath)!))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        Assert.Equal(suiteData, EvalLineage.SuiteManifestId(Path.Combine(copy, "facts.json"), EvalSuite.Load(Path.Combine(copy, "facts.json"))));
        File.AppendAllText(Path.Combine(copy, "mc.jsonl"), """{"question": "The sky is", "choices": ["blue", "Rome."], "answer": 0}""" + "\n");
        Assert.NotEqual(suiteData, EvalLineage.SuiteManifestId(Path.Combine(copy, "facts.json"), EvalSuite.Load(Path.Combine(copy, "facts.json"))));
    }

    [Fact]
    public void A_parent_recorded_in_another_store_ends_the_lineage_and_says_so()
    {
        var store = RunStore.Open(Path.Combine(RepoPaths.NewTempFolder("llmops-eval-store-elsewhere"), "runs.db"));
        var report = new EvalReport("s", "m", [], Lineage: new EvalLineage("/nowhere/m", "20260101-000000-abcdef", "0123456789abcdef", "/nowhere/s.json", "fedcba9876543210"));

        var recorded = EvalRunStore.Record(store, report);

        var details = store.Get(recorded.Lineage!.EvalRun!);
        Assert.Empty(details.Lineage);
        Assert.Equal("20260101-000000-abcdef", details.Summary.ParentRun);
        Assert.Empty(details.Artifacts); // neither the model nor the suite exists to hash
        Assert.Contains("20260101-000000-abcdef (not in this store)", TrackingText.Run(details).ToText(), StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(recorded.Lineage), JsonSerializer.Serialize(Assert.Single(EvalRunStore.Load(store)).Lineage));
    }
}
