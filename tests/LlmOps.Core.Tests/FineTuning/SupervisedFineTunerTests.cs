using LlmOps.Core.Chat;
using LlmOps.Core.FineTuning;
using LlmOps.Core.Modeling;
using LlmOps.Core.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.FineTuning;

[Collection(SftGroup.Name)]
public class SupervisedFineTunerTests(SftFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Prompt_tokens_get_no_gradient_and_answer_tokens_do()
    {
        var example = fixture.Set.Train[0];
        var sequence = SftSequence.Encode(example, fixture.Tokenizer, ChatTemplate.Markers);
        var batch = SftBatch.Of([sequence, SftSequence.Encode(fixture.Set.Train[1], fixture.Tokenizer, ChatTemplate.Markers)]);
        using var loaded = GptCheckpoint.Load(fixture.BaseCheckpoint);
        loaded.Model.train();

        var (loss, logits) = SftTask.LossAndLogits(loaded.Model, batch, CPU);
        logits.retain_grad();
        loss.backward();

        // Position t predicts id t+1: prompt up to PromptLength - 2, answer from PromptLength - 1 on (row 0).
        var grad = logits.grad!.abs().sum(-1)[0];
        int answerStart = sequence.PromptLength - 1;
        Assert.Equal(0f, grad[..answerStart].sum().item<float>());
        for (int t = answerStart; t < sequence.Ids.Length - 1; t++)
            Assert.True(grad[t].item<float>() > 0, $"answer position {t} has no gradient");
        Assert.Equal(0f, grad[(sequence.Ids.Length - 1)..].sum().item<float>()); // padding
        Assert.Equal(example.Output + ChatTemplate.Markers.TurnEnd, fixture.Tokenizer.Decode(sequence.Ids.AsSpan(sequence.PromptLength)));
    }

    [Fact]
    public void Fine_tuning_adds_the_chat_tokens_and_lifts_held_out_exact_match_far_above_the_base()
    {
        ExactMatchReport before;
        using (var loaded = GptCheckpoint.Load(fixture.BaseCheckpoint))
        using (var baseClient = new LocalChatClient(loaded.Model, fixture.Tokenizer, defaults: GenerationConfig.Greedy(24)))
            before = fixture.ExactMatch(baseClient);

        var result = fixture.Run(fixture.Config("sft-full", maxSteps: 1500));

        Assert.Equal(PretrainStatus.Completed, result.Training.Status);
        Assert.Equal([ChatTemplate.ImStart, ChatTemplate.ImEnd], result.AddedTokens);
        using var client = LocalChatClient.FromCheckpoint(result.Checkpoint!, fixture.Registry, defaults: GenerationConfig.Greedy(24));
        Assert.Equal(ChatTemplate.ChatMl.Name, client.Template.Name);
        Assert.Equal(fixture.Tokenizer.VocabSize + 2, client.Model.Config.VocabSize);
        var after = fixture.ExactMatch(client);

        foreach (var row in after.Rows.Take(8))
            output.WriteLine($"{row.Prompt.Replace('\n', ' ')} => [{row.Answer}] expected [{row.Expected}]");
        output.WriteLine($"base {before}; after SFT {after}; by task {string.Join(", ", after.ByTask().Select(t => $"{t.Task} {t.Accuracy:P0}"))}; {result}");
        Assert.True(before.Accuracy <= 0.05, $"the base already answers: {before}");
        Assert.True(after.Accuracy >= 0.8, $"SFT did not lift exact match enough: base {before}, after {after}");
    }

    [Fact]
    public void A_run_stopped_and_resumed_matches_the_uninterrupted_run_bit_for_bit() => fixture.AssertResumesExactly(
        fixture.Config("sft-whole", maxSteps: 20) with { CheckpointEvery = 10, EvalEvery = 10 },
        fixture.Config("sft-resumed", maxSteps: 20) with { CheckpointEvery = 10, EvalEvery = 10 }, stopAt: 10);
    [Fact]
    public void A_packed_batch_has_the_loss_and_gradients_of_the_same_examples_unpacked()
    {
        // Six examples packed greedily into rows of a 512-token context, as SftTask packs them (the fixture's base has
        // 128, where these ~70-token examples fit one a row), through two seeded models of the same weights.
        var sequences = fixture.Set.Train.Select(e => SftSequence.Encode(e, fixture.Tokenizer, ChatTemplate.Markers)).Take(6).ToList();
        var rows = new List<List<SftSequence>>();
        foreach (var sequence in sequences)
        {
            if (rows.Count == 0 || rows[^1].Sum(s => s.Ids.Length - 1) + sequence.Ids.Length - 1 > 512)
                rows.Add([]);
            rows[^1].Add(sequence);
        }
        var shape = new GptConfig(fixture.Tokenizer.VocabSize, BlockSize: 512, Layers: 2, Heads: 4, EmbeddingSize: 64, Positions: PositionEncoding.Rotary);
        using var packedModel = new Gpt(shape, seed: 3);
        using var paddedModel = new Gpt(shape, seed: 3);
        packedModel.eval();
        paddedModel.eval();

        var packed = SftBatch.Pack(rows);
        var padded = SftBatch.Of(sequences);
        var (packedLoss, _) = SftTask.LossAndLogits(packedModel, packed, CPU);
        var (paddedLoss, _) = SftTask.LossAndLogits(paddedModel, padded, CPU);
        packedLoss.backward();
        paddedLoss.backward();

        Assert.True(packed.Rows < sequences.Count, "no row packed two examples");
        Assert.True(packed.Inputs.Length < padded.Inputs.Length, "packing did not save positions");
        Assert.Equal(padded.TargetCount, packed.TargetCount);
        Assert.True(Math.Abs(packedLoss.item<float>() - paddedLoss.item<float>()) < 1e-5, $"packed {packedLoss.item<float>()} vs padded {paddedLoss.item<float>()}");
        foreach (var ((name, p), (_, q)) in packedModel.named_parameters().Zip(paddedModel.named_parameters()))
            Assert.True((p.grad! - q.grad!).abs().max().item<float>() < 1e-5f, $"{name}'s gradient differs");
    }

    [Fact]
    public void A_packed_run_stopped_and_resumed_matches_the_uninterrupted_run_bit_for_bit()
    {
        // The packed example stream (rows cut from the seeded epoch order) depends only on the seed and the draws.
        SftConfig Config(string name) => fixture.Config(name, maxSteps: 12) with { CheckpointEvery = 6, EvalEvery = 6, BatchSize = 4, Packing = true };
        var whole = fixture.Run(Config("sft-packed-whole"));
        using var cancel = new CancellationTokenSource();
        var first = fixture.Run(Config("sft-packed-resumed"), new TrainingLoopHooks(AfterStep: step =>
        {
            if (step == 6)
                cancel.Cancel();
        }), cancel.Token);
        var second = fixture.Run(Config("sft-packed-resumed"));

        Assert.Equal(PretrainStatus.Cancelled, first.Training.Status);
        Assert.Equal(6, second.Training.ResumedFromStep);
        Assert.Equal(whole.Training.Train.Select(s => s.Loss), second.Training.Train.Select(s => s.Loss));
        Assert.True(whole.Training.Train[^1].Loss < whole.Training.Train[0].Loss, "packed training did not lower the loss");
    }
}
