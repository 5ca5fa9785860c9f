namespace LlmOps.Interactive.Engine.Tests;

/// <summary>The CI sizes of each course notebook, declared once for every host that runs them (the headless runner's
/// tests, the solutions' tests, the real kernel's tests): small enough for the CI budget, every folder under
/// <c>root</c> so a run never touches the repository's artifacts.</summary>
static class CourseParameters
{
    /// <summary>The parameters for <paramref name="notebook"/> (a file name such as <c>03-pretrain.ipynb</c>).</summary>
    public static Dictionary<string, string> For(string notebook, string root)
    {
        string data = Path.Combine(root, "data"), tokenizers = Path.Combine(root, "tokenizers"), shards = Path.Combine(root, "shards");
        return notebook switch
        {
            "00-welcome.ipynb" => new() { ["matmulSize"] = "128", ["smokeSteps"] = "60" },
            "01-data.ipynb" => new() { ["emailLimit"] = "400", ["sotuLimit"] = "40", ["outFolder"] = data },
            "02-tokenizer.ipynb" => new() { ["vocabSize"] = "1024", ["dataFolder"] = data, ["tokenizerRoot"] = tokenizers, ["shardFolder"] = shards },
            "03-pretrain.ipynb" => new()
            {
                ["maxSteps"] = "30", ["evalEvery"] = "15", ["resumeCheckSteps"] = "10", ["dataFolder"] = data, ["tokenizerRoot"] = tokenizers,
                ["shardFolder"] = shards, ["outFolder"] = Path.Combine(root, "checkpoints"), ["runStore"] = Path.Combine(root, "runs.db"),
            },
            "04-sft.ipynb" => new()
            {
                ["examplesPerTask"] = "600", ["baseSteps"] = "30", ["maxSteps"] = "300", ["evalExamples"] = "40", ["dataFolder"] = Path.Combine(data, "04-instructions"),
                ["tokenizerRoot"] = tokenizers, ["outFolder"] = Path.Combine(root, "checkpoints"), ["runStore"] = Path.Combine(root, "runs.db"),
            },
            "05-peft.ipynb" => new()
            {
                ["examplesPerTask"] = "600", ["baseSteps"] = "30", ["maxSteps"] = "60", ["evalExamples"] = "30", ["dataFolder"] = Path.Combine(data, "05-instructions"),
                ["tokenizerRoot"] = tokenizers, ["outFolder"] = Path.Combine(root, "checkpoints"), ["runStore"] = Path.Combine(root, "runs.db"),
            },
            "07-eval.ipynb" => new()
            {
                ["pretrainSteps"] = "20", ["earlyStep"] = "10", ["checkpointRoot"] = Path.Combine(root, "checkpoints"), ["dataFolder"] = data,
                ["tokenizerRoot"] = tokenizers, ["shardFolder"] = shards, ["outFolder"] = Path.Combine(root, "eval"),
            },
            _ => throw new ArgumentException($"no CI parameters for {notebook}: add them to {nameof(CourseParameters)}", nameof(notebook)),
        };
    }
}
