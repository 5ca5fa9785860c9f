using LlmOps.Core.Chat;
using LlmOps.Core.FineTuning;
using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Training;
using Xunit.Abstractions;

namespace LlmOps.Core.Tests.FineTuning;

[Collection(SftGroup.Name)]
public class PeftFineTuningTests(SftFixture fixture, ITestOutputHelper output)
{
    SftConfig Peft(string method, string outName, int maxSteps) => fixture.Config(outName, maxSteps) with
    {
        Method = method, LearningRate = 1e-2, MinLearningRate = 1e-3, Peft = new PeftSettings(Rank: 8, Alpha: 16),
    };

    [Theory]
    [InlineData("lora")]
    [InlineData("adapter")]
    public void A_peft_run_trains_a_small_share_learns_the_answer_format_and_ends_its_answers(string method)
    {
        ExactMatchReport before;
        using (var loaded = GptCheckpoint.Load(fixture.BaseCheckpoint))
        using (var baseClient = new LocalChatClient(loaded.Model, fixture.Tokenizer, defaults: GenerationConfig.Greedy(24)))
            before = fixture.ExactMatch(baseClient);

        var result = fixture.Run(Peft(method, "peft-" + method, maxSteps: 300));

        using var client = result.OpenChatClient(fixture.Registry, GenerationConfig.Greedy(24));
        var after = fixture.ExactMatch(client);
        output.WriteLine($"base {before}; after {method} {after}; {result}");
        foreach (var row in after.Rows.Take(5))
            output.WriteLine($"{row.Prompt.Replace('\n', ' ')} => [{row.Answer}] expected [{row.Expected}]");
        Assert.Equal(PretrainStatus.Completed, result.Training.Status);
        Assert.Equal(method, result.Method);
        Assert.True(result.TrainableShare < 0.08, $"{method} trains {result.TrainableShare:P1} of the model");
        Assert.Equal(2 * 4 * result.TrainableParameters, result.OptimizerStateBytes); // two fp32 moments per parameter
        // Measured: 2.60 (lora and adapter, 300 steps, from 5.05 at step 1). With the added chat tokens' rows at the mean
        // of the frozen embedding (as full fine-tuning starts them) both stayed at 3.61: the answer's end could not be
        // emitted. A bound, not the skill: on this 60-step base neither method learns the comparison (exact match ~2%).
        Assert.True(result.Training.BestValidationLoss < 3.0, $"{method} did not learn the answers' format: {result}");
        // The answers end (the end-of-turn token is emitted) rather than running on to the token limit.
        Assert.True(after.Rows.Count(r => r.Answer.Length <= 4) >= after.Rows.Count * 0.9, $"{method}'s answers do not end: {string.Join(" | ", after.Rows.Take(5).Select(r => r.Answer))}");
        Assert.True(after.Accuracy >= before.Accuracy, $"{method} lowered exact match: base {before}, after {after}");
    }

    [Fact]
    public void A_peft_checkpoint_holds_only_the_trained_tensors_and_a_lora_run_exports_a_peft_adapter()
    {
        var result = fixture.Run(Peft("lora", "peft-files", maxSteps: 4) with { CheckpointEvery = 2, EvalEvery = 2 });

        string checkpoint = result.Checkpoint!;
        Assert.False(File.Exists(Path.Combine(checkpoint, GptCheckpoint.WeightsFile)));
        using var content = SafeTensors.Read(Path.Combine(checkpoint, PeftCheckpoint.WeightsFile));
        var (peft, info) = PeftCheckpoint.Open(checkpoint);
        using (peft.Model)
        {
            var trained = peft.Model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Order(StringComparer.Ordinal);
            Assert.Equal(trained, content.Tensors.Keys.Order(StringComparer.Ordinal));
            Assert.All(content.Tensors.Keys, k => Assert.Contains(".lora_", k, StringComparison.Ordinal));
            Assert.Equal(result.TrainableParameters, content.Tensors.Values.Sum(t => t.numel()));
            Assert.Equal(Path.GetFullPath(fixture.BaseCheckpoint), info.BaseModel);
            Assert.Equal("lora", info.Method);

            // The exported adapter, on a fresh base resized the same way, gives the served model's logits.
            Assert.True(File.Exists(Path.Combine(result.AdapterFolder!, LoraAdapterFolder.WeightsFile)));
            using var fresh = PeftCheckpoint.LoadBase(info);
            var reloaded = LoraModel.FromPretrained(fresh, result.AdapterFolder!);
            reloaded.Model.eval();
            using var x = TorchSharp.torch.tensor(new long[] { 5, 9, 40, 41, 42, 100 }, [1, 6]);
            using var expected = peft.Model.call(x);
            using var actual = reloaded.Model.call(x);
            Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-6), "the exported adapter does not reproduce the served model");
        }
    }

    [Fact]
    public void Training_the_template_tokens_rows_lets_lora_fit_the_answers_better_and_the_rows_travel_with_checkpoint_and_adapter()
    {
        var plain = fixture.Run(Peft("lora", "peft-lora-plain", maxSteps: 150) with { EvalEvery = 150 });
        var tokens = fixture.Run(Peft("lora", "peft-lora-tokens", maxSteps: 150) with
        {
            EvalEvery = 150, Peft = new PeftSettings(Rank: 8, Alpha: 16, TrainTemplateTokens: true),
        });
        output.WriteLine($"plain {plain}; with template tokens {tokens}");

        var (peft, info) = PeftCheckpoint.Open(tokens.Checkpoint!);
        using (peft.Model)
        {
            // Two more rows of the embedding train: <|im_start|> and <|im_end|>.
            Assert.Equal(plain.TrainableParameters + 2 * peft.Model.Config.EmbeddingSize, tokens.TrainableParameters);
            Assert.Equal(2, info.TrainableTokens!.Count);
            using (var content = SafeTensors.Read(Path.Combine(tokens.Checkpoint!, PeftCheckpoint.WeightsFile)))
                Assert.Contains("trainable_tokens.trainable_tokens_delta", content.Tensors.Keys);
            // The end-of-turn row can now move towards the hidden states that end an answer: the answers' loss falls
            // further in the same steps.
            Assert.True(tokens.Training.BestValidationLoss < plain.Training.BestValidationLoss - 0.05,
                $"template tokens did not help: {tokens.Training.BestValidationLoss:F3} vs {plain.Training.BestValidationLoss:F3}");

            // peft's layout carries the rows too (trainable_token_indices), so a fresh base reproduces the served model.
            using var fresh = PeftCheckpoint.LoadBase(info);
            var reloaded = LoraModel.FromPretrained(fresh, tokens.AdapterFolder!);
            reloaded.Model.eval();
            using var x = TorchSharp.torch.tensor(new long[] { 5, 9, 40, info.TrainableTokens[0], 42, info.TrainableTokens[1] }, [1, 6]);
            using var expected = peft.Model.call(x);
            using var actual = reloaded.Model.call(x);
            Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-6), "the exported adapter does not reproduce the served model");
        }
    }

    [Theory]
    [InlineData("prompt")]
    [InlineData("ptuning")]
    [InlineData("prefix")]
    public void A_prompt_learning_run_trains_only_its_virtual_tokens_lowers_the_validation_loss_and_serves_from_its_checkpoint(string method)
    {
        // Prompt tuning trains 8 embedding rows and wants a learning rate ten times LoRA's (Lester et al. used 0.3).
        double rate = method == "prompt" ? 1e-1 : 1e-2;
        var result = fixture.Run(Peft(method, "peft-" + method, maxSteps: 120) with
        {
            EvalEvery = 40, LearningRate = rate, MinLearningRate = rate / 10, Peft = new PeftSettings(VirtualTokens: 8),
        });

        Assert.Equal(PretrainStatus.Completed, result.Training.Status);
        Assert.Equal(method, result.Method);
        // P-tuning's prompt encoder (an MLP, as peft's) is most of its share: 10% of this 117k-parameter model.
        Assert.True(result.TrainableShare < 0.12, $"{method} trains {result.TrainableShare:P1} of the model");
        // The frozen model learns from 8 virtual tokens alone: the loss falls below the first step's. Measured (120 steps):
        // 5.05 at step 1 to 4.70 (prompt), 4.62 (P-tuning) and lower for prefix; far from LoRA's 2.6, the weakest methods
        // on a base this small, as their papers found below a billion parameters.
        output.WriteLine($"{method}: step 1 {result.Training.Train[0].Loss:F3}; {string.Join(", ", result.Training.Validation.Select(v => $"step {v.Step} {v.Loss:F3}"))}; {result}");
        Assert.True(result.Training.BestValidationLoss < result.Training.Train[0].Loss - 0.2, $"{method} did not lower the loss: {result}");
        // The checkpoint holds only the method's tensors and serves as a chat client (base + method + tensors).
        using (var content = SafeTensors.Read(Path.Combine(result.Checkpoint!, PeftCheckpoint.WeightsFile)))
            Assert.All(content.Tensors.Keys, k => Assert.StartsWith("prompt_encoder.", k, StringComparison.Ordinal));
        using var client = result.OpenChatClient(fixture.Registry, GenerationConfig.Greedy(8));
        Assert.Equal(8, client.Model.Config.BlockSize - client.Model.ContextSize);
        Assert.NotNull(client.Model.VirtualTokens);
    }

    [Fact]
    public void Packing_with_a_prompt_learning_method_is_refused_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => (Peft("prefix", "peft-packed", 10) with { Packing = true }).Validate());
        Assert.Contains("Packing cannot be used with prefix", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lora")]
    [InlineData("adapter")]
    [InlineData("prefix")]
    public void A_peft_run_stopped_and_resumed_matches_the_uninterrupted_run_bit_for_bit(string method) => fixture.AssertResumesExactly(
        Peft(method, $"peft-whole-{method}", maxSteps: 20) with { CheckpointEvery = 10, EvalEvery = 10, Peft = new PeftSettings(Dropout: 0.1) },
        Peft(method, $"peft-resumed-{method}", maxSteps: 20) with { CheckpointEvery = 10, EvalEvery = 10, Peft = new PeftSettings(Dropout: 0.1) }, stopAt: 10);

    [Fact]
    public void Resuming_with_other_peft_settings_is_refused_naming_the_checkpoint()
    {
        var config = Peft("lora", "peft-settings", maxSteps: 2) with { CheckpointEvery = 2, EvalEvery = 2 };
        fixture.Run(config);
        var e = Assert.Throws<InvalidDataException>(() => fixture.Run(config with { MaxSteps = 4, Peft = new PeftSettings(Rank: 4) }));
        Assert.Contains(PeftCheckpoint.ConfigFile, e.Message, StringComparison.Ordinal);
        Assert.Contains("\"Rank\":4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_files_nest_the_peft_settings_and_name_unknown_ones_and_bad_methods()
    {
        string folder = Path.Combine(fixture.Root, "peft-configs");
        Directory.CreateDirectory(folder);
        string good = Path.Combine(folder, "good.json");
        File.WriteAllText(good, """{ "BaseModel": "base", "TrainData": "t.jsonl", "ValidationData": "v.jsonl", "OutFolder": "out", "Method": "lora", "Peft": { "Rank": 4, "Alpha": 8, "Targets": ["c_attn", "c_proj"] } }""");
        var config = SftConfig.Load(good);
        Assert.Equal(PeftMethod.Lora, config.PeftMethod);
        Assert.Equal(4, config.PeftOrDefault.Rank);
        Assert.Equal(["c_attn", "c_proj"], config.PeftOrDefault.Targets!);
        Assert.True(SftConfig.Load(good).PeftOrDefault.SameAs(config.Peft));

        string unknown = Path.Combine(folder, "unknown.json");
        File.WriteAllText(unknown, """{ "BaseModel": "base", "TrainData": "t.jsonl", "ValidationData": "v.jsonl", "OutFolder": "out", "Peft": { "Rnak": 4 } }""");
        var e = Assert.Throws<InvalidDataException>(() => SftConfig.Load(unknown));
        Assert.Contains(unknown, e.Message, StringComparison.Ordinal);
        Assert.Contains("Rnak", e.Message, StringComparison.Ordinal);

        string bad = Path.Combine(folder, "bad.json");
        File.WriteAllText(bad, """{ "BaseModel": "base", "TrainData": "t.jsonl", "ValidationData": "v.jsonl", "OutFolder": "out", "Method": "qlora", "Peft": { "Rank": 0 } }""");
        e = Assert.Throws<InvalidDataException>(() => SftConfig.Load(bad));
        Assert.Contains("'qlora' is not one of full, lora, adapter, prompt, ptuning, prefix", e.Message, StringComparison.Ordinal);
        Assert.Contains("Peft.Rank must be at least 1", e.Message, StringComparison.Ordinal);
    }
}
