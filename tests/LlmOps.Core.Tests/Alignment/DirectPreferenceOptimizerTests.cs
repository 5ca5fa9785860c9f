using LlmOps.Core.Alignment;
using LlmOps.Core.Chat;
using LlmOps.Core.FineTuning;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using LlmOps.Core.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Alignment;

[Collection(AlignmentGroup.Name)]
public class DirectPreferenceOptimizerTests(AlignmentFixture fixture, ITestOutputHelper output)
{
    const double Beta = 0.1;

    static readonly GptConfig Tiny = new(VocabSize: 11, BlockSize: 8, Layers: 1, Heads: 2, EmbeddingSize: 8);

    // Two pairs over a vocabulary of 11: the prompt is the first two ids, the answers differ in length (padding).
    static readonly SftSequence[] Chosen = [new([1, 2, 3, 4], 2), new([5, 6, 7, 8, 9], 2)];
    static readonly SftSequence[] Rejected = [new([1, 2, 10], 2), new([5, 6, 3, 3, 3, 3], 2)];

    static PreferenceTask TaskOf(Gpt policy, Gpt reference, PreferenceLossType type) =>
        new(policy, [], [], 2, null, new SeedScope(1), CPU, reference.call, Beta, type, (_, _) => { }, twinnable: false);

    static SftBatch TinyBatch => PreferenceTask.Batch([(Chosen[0], Rejected[0]), (Chosen[1], Rejected[1])]);

    /// <summary>A sequence's log-probability of its answer from the model's logits, by hand: log_softmax and a gather per
    /// answer position, summed (or averaged) in double.</summary>
    static double LogProb(Gpt model, SftSequence sequence, bool average)
    {
        using var scope = NewDisposeScope();
        var logits = model.call(tensor(sequence.Inputs(), [1, sequence.Ids.Length - 1]));
        var logProbs = nn.functional.log_softmax(logits, -1)[0];
        long[] targets = sequence.Targets();
        double sum = 0;
        int count = 0;
        for (int t = 0; t < targets.Length; t++)
        {
            if (targets[t] < 0)
                continue;
            sum += logProbs[t, targets[t]].item<float>();
            count++;
        }
        return average ? sum / count : sum;
    }

    static double HandLoss(Gpt policy, Gpt reference, PreferenceLossType type)
    {
        bool average = type == PreferenceLossType.Ipo;
        double total = 0;
        for (int i = 0; i < Chosen.Length; i++)
        {
            double h = LogProb(policy, Chosen[i], average) - LogProb(reference, Chosen[i], average)
                - (LogProb(policy, Rejected[i], average) - LogProb(reference, Rejected[i], average));
            total += type == PreferenceLossType.Sigmoid ? Math.Log(1 + Math.Exp(-Beta * h)) : Math.Pow(h - 1 / (2 * Beta), 2);
        }
        return total / Chosen.Length;
    }

    [Theory]
    [InlineData(PreferenceLossType.Sigmoid)]
    [InlineData(PreferenceLossType.Ipo)]
    public void The_loss_equals_a_hand_computation_from_the_logits(PreferenceLossType type)
    {
        using var policy = new Gpt(Tiny, seed: 1);
        using var reference = new Gpt(Tiny, seed: 2);
        policy.eval();
        reference.eval();
        using var scope = NewDisposeScope();

        var loss = TaskOf(policy, reference, type).Loss(policy, TinyBatch);

        double expected = HandLoss(policy, reference, type);
        Assert.True(expected > 0.01, $"a degenerate case: {expected}");
        Assert.Equal(expected, loss.Loss.item<float>(), 1e-5);
        Assert.Equal(2, loss.Rows);
    }

    [Fact]
    public void A_policy_identical_to_the_reference_has_zero_rewards_and_dpo_loss_log_2()
    {
        using var policy = new Gpt(Tiny, seed: 1);
        using var reference = new Gpt(Tiny, seed: 1);
        policy.eval();
        reference.eval();
        using var scope = NewDisposeScope();

        var dpo = TaskOf(policy, reference, PreferenceLossType.Sigmoid).Loss(policy, TinyBatch);
        var ipo = TaskOf(policy, reference, PreferenceLossType.Ipo).Loss(policy, TinyBatch);

        Assert.Equal(Math.Log(2), dpo.Loss.item<float>(), 1e-6);
        Assert.Equal(Math.Pow(1 / (2 * Beta), 2), ipo.Loss.item<float>(), 1e-4);
        foreach (string name in new[] { "rewards/chosen", "rewards/rejected", "rewards/margin", "rewards/accuracy" })
            Assert.Equal(0f, dpo.Metrics![name].item<float>());
    }

    [Fact]
    public void A_short_dpo_run_raises_held_out_preference_accuracy_above_the_sft_start()
    {
        var start = fixture.HeldOut(fixture.SftCheckpoint);
        var result = fixture.Run(fixture.Config("dpo-full", maxSteps: 60));
        var after = fixture.HeldOut(result.Checkpoint!);
        var rambling = DirectPreferenceOptimizer.Evaluate(result.Checkpoint!, fixture.SftCheckpoint,
            [.. fixture.Preferences.HeldOut.Where(p => p.Kind == PreferenceGenerator.Rambling)], tokenizers: fixture.Registry);

        output.WriteLine($"held out: SFT start {start}; after DPO {after} (rambling pairs {rambling}); {result}");
        Assert.Equal(PretrainStatus.Completed, result.Training.Status);
        Assert.Equal(0.5, start.Accuracy); // the policy is its reference: every reward is 0, every pair a tie
        Assert.Equal(Math.Log(2), result.Training.Train[0].Loss, 1e-5);
        // Measured 80.0% of 120 held-out pairs (rambling pairs 100%, off-by numbers most of the rest).
        Assert.True(after.Accuracy >= 0.7, $"DPO did not raise held-out accuracy enough: {start} -> {after}");
        Assert.True(rambling.Accuracy >= 0.9, $"DPO did not learn to reject rambling: {rambling}");
        Assert.True(after.MeanMargin > 0, $"{after}");
    }

    [Fact]
    public void Lora_dpo_uses_the_base_with_adapters_disabled_as_reference_and_raises_held_out_accuracy()
    {
        var result = fixture.Run(fixture.Config("dpo-lora", maxSteps: 60, method: "lora"));
        var after = fixture.HeldOut(result.Checkpoint!);

        output.WriteLine($"held out after LoRA DPO {after}; {result}");
        Assert.Equal(PretrainStatus.Completed, result.Training.Status);
        Assert.True(PeftCheckpoint.Exists(result.Checkpoint!));
        // LoRA starts as the identity (B = 0), so the first step's policy is exactly its reference, the base without adapters.
        Assert.Equal(Math.Log(2), result.Training.Train[0].Loss, 1e-5);
        Assert.True(result.TrainableParameters < result.TotalParameters / 5, $"{result}");
        Assert.True(after.Accuracy >= 0.6, $"LoRA DPO did not raise held-out accuracy: {after}"); // measured 68.3%
    }

    [Fact]
    public void A_run_stopped_and_resumed_matches_the_uninterrupted_run_bit_for_bit()
    {
        var uninterrupted = fixture.Run(fixture.Config("dpo-whole", maxSteps: 10, loss: "ipo") with { CheckpointEvery = 5, EvalEvery = 5 });
        using var cancel = new CancellationTokenSource();
        var resumedConfig = fixture.Config("dpo-resumed", maxSteps: 10, loss: "ipo") with { CheckpointEvery = 5, EvalEvery = 5 };
        var first = fixture.Run(resumedConfig, new TrainingLoopHooks(AfterStep: step =>
        {
            if (step == 5)
                cancel.Cancel();
        }), cancel.Token);
        var second = fixture.Run(resumedConfig);

        Assert.Equal(PretrainStatus.Cancelled, first.Training.Status);
        Assert.Equal(5, second.Training.ResumedFromStep);
        Assert.Equal(uninterrupted.Training.Train.Select(s => s.Loss), second.Training.Train.Select(s => s.Loss));
        Assert.Equal(uninterrupted.Training.Validation.Select(v => v.Loss), second.Training.Validation.Select(v => v.Loss));
    }

    [Fact]
    public void A_nan_loss_stops_the_run_naming_the_step_and_the_last_good_checkpoint()
    {
        var result = fixture.Run(fixture.Config("dpo-nan", maxSteps: 10) with { CheckpointEvery = 2 },
            new TrainingLoopHooks(Loss: (step, loss) => step == 5 ? double.NaN : loss));

        Assert.Equal(PretrainStatus.Diverged, result.Training.Status);
        Assert.Contains("step 5", result.Training.Message, StringComparison.Ordinal);
        Assert.Contains("step-000004", result.Training.Message, StringComparison.Ordinal);
    }
}
