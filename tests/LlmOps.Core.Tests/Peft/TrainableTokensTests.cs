using LlmOps.Core.Modeling;
using LlmOps.Core.Peft;
using LlmOps.Core.Tests.Modeling;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Peft;

public class TrainableTokensTests
{
    static readonly int[] Tokens = [9, 10];

    static TorchSharp.Modules.Parameter Embedding(Gpt model) => model.named_parameters().First(p => p.name == "wte.weight").parameter;

    [Fact]
    public void Attached_rows_start_as_the_base_so_the_model_is_unchanged_and_detaching_restores_it_bit_for_bit()
    {
        using var model = Tiny.Model();
        using var ids = Tiny.Ids([1, 9, 3, 10, 5]);
        using var before = model.call(ids);
        model.AttachTrainableTokens(new TrainableTokens(Embedding(model), Tokens));
        using (var attached = model.call(ids))
            Assert.True(before.equal(attached).all().item<bool>(), "rows copied from the base changed the logits");
        using (no_grad())
            model.TrainableTokens!.Rows.normal_(0, 1);
        using (var changed = model.call(ids))
            Assert.False(before.equal(changed).all().item<bool>());
        model.DetachTrainableTokens();
        using var after = model.call(ids);
        Assert.True(before.equal(after).all().item<bool>(), "detaching did not restore the base");
    }

    [Fact]
    public void Trained_rows_change_only_their_tokens_inputs_and_tied_output_columns_and_only_they_get_gradients()
    {
        using var model = Tiny.Model();
        using var ids = Tiny.Ids([1, 2, 3, 4, 5]); // none of the trainable tokens as input
        using var before = model.call(ids);
        foreach (var p in model.parameters())
            p.requires_grad = false; // a PEFT base is frozen
        model.AttachTrainableTokens(new TrainableTokens(Embedding(model), Tokens));
        using (no_grad())
            model.TrainableTokens!.Rows.add_(1.0);
        using var after = model.call(ids);
        // Inputs without the tokens: every column but the tokens' (the tied head's rows) is unchanged.
        var others = tensor(Enumerable.Range(0, 11).Where(i => !Tokens.Contains(i)).Select(i => (long)i).ToArray());
        Assert.True(before.index_select(2, others).equal(after.index_select(2, others)).all().item<bool>());
        Assert.False(before[.., .., 9].equal(after[.., .., 9]).all().item<bool>());

        using var loss = model.call(Tiny.Ids([9, 1, 10, 2])).logsumexp(2).mean();
        loss.backward();
        Assert.Null(Embedding(model).grad);
        Assert.True(model.TrainableTokens!.Rows.grad!.abs().sum().item<float>() > 0);
        Assert.Equal(["trainable_tokens.trainable_tokens_delta"], model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name));
    }

    [Fact]
    public void A_lora_adapter_saves_its_token_rows_in_peft_layout_and_a_fresh_base_loads_them_to_the_same_logits()
    {
        using var model = Tiny.Model();
        var lora = LoraModel.Apply(model, new LoraConfig(Rank: 2, Alpha: 4), seed: 3);
        LoraTests.Perturb(lora, 5);
        model.AttachTrainableTokens(new TrainableTokens(Embedding(model), Tokens));
        using (no_grad())
            model.TrainableTokens!.Rows.normal_(0, 1);
        string folder = Path.Combine(Path.GetTempPath(), "llmops-tokens-" + Guid.NewGuid().ToString("N"));
        try
        {
            lora.Save(folder);
            string config = File.ReadAllText(Path.Combine(folder, LoraAdapterFolder.ConfigFile));
            Assert.Contains("\"trainable_token_indices\": [", config, StringComparison.Ordinal);
            using (var content = SafeTensors.Read(Path.Combine(folder, LoraAdapterFolder.WeightsFile)))
                Assert.Equal([2L, 16L], content.Tensors[LoraAdapterFolder.TokenRowsTensorName].shape);

            using var fresh = Tiny.Model();
            var reloaded = LoraModel.FromPretrained(fresh, folder);
            using var ids = Tiny.Ids([9, 2, 10, 4]);
            using var expected = model.call(ids);
            using var actual = reloaded.Model.call(ids);
            Assert.True(expected.equal(actual).all().item<bool>(), "the reloaded adapter with token rows does not reproduce the model");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
