using System.Text;
using LlmOps.Core.Modeling;
using LlmOps.Tests;
using TorchSharp;
using static TorchSharp.torch;

namespace LlmOps.Core.Tests.Modeling;

public class GptCheckpointTests
{
    static void AssertSameWeights(Gpt expected, Gpt actual)
    {
        var a = expected.named_parameters().ToList();
        var b = actual.named_parameters().ToList();
        Assert.Equal(a.Select(p => p.name), b.Select(p => p.name));
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].parameter.bytes.SequenceEqual(b[i].parameter.bytes), $"{a[i].name} differs");
    }

    [Theory]
    [InlineData(PositionEncoding.Learned, true)]
    [InlineData(PositionEncoding.Rotary, false)]
    public void Save_then_load_is_bit_exact(PositionEncoding positions, bool tied)
    {
        string folder = Path.Combine(RepoPaths.NewTempFolder("llmops-ckpt"), "step-10");
        using var model = Tiny.Model(Tiny.Config(positions, tied));
        var metadata = new CheckpointMetadata("o200k_base", "manifest-abc") { Extra = new Dictionary<string, string> { ["step"] = "10" } };

        GptCheckpoint.Save(folder, model, metadata);
        using var loaded = GptCheckpoint.Load(folder);

        Assert.Equal(model.Config, loaded.Config);
        Assert.Equal(("o200k_base", "manifest-abc", "10"), (loaded.Metadata.Tokenizer, loaded.Metadata.DataManifestId, loaded.Metadata.Extra["step"]));
        AssertSameWeights(model, loaded.Model);
        using var ids = Tiny.Ids([3, 1, 4, 1, 5, 9]);
        Assert.Equal(Tiny.Values(model.call(ids)), Tiny.Values(loaded.Model.call(ids)));
        Assert.Equal([GptCheckpoint.ConfigFile, GptCheckpoint.WeightsFile], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(folder)!)); // no temporary folder left
    }

    [Fact]
    public void Tied_weights_are_stored_once_and_the_file_is_plain_safetensors()
    {
        string folder = RepoPaths.NewTempFolder("llmops-ckpt");
        using var model = Tiny.Model();
        GptCheckpoint.Save(folder, model, new CheckpointMetadata("tok"));
        byte[] bytes = File.ReadAllBytes(Path.Combine(folder, GptCheckpoint.WeightsFile));
        long headerLength = BitConverter.ToInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Contains("\"wte.weight\":{\"dtype\":\"F32\",\"shape\":[11,16],\"data_offsets\":[0,704]}", header, StringComparison.Ordinal);
        Assert.DoesNotContain("\"lm_head.weight\":{", header, StringComparison.Ordinal);
        Assert.Contains("\"tokenizer\":\"tok\"", header, StringComparison.Ordinal);
        Assert.Equal(8 + headerLength + model.ParameterCount() * 4, bytes.Length);
    }

    [Fact]
    public void Saving_over_a_checkpoint_replaces_it()
    {
        string folder = Path.Combine(RepoPaths.NewTempFolder("llmops-ckpt"), "latest");
        using var first = Tiny.Model(seed: 1);
        using var second = Tiny.Model(seed: 2);
        GptCheckpoint.Save(folder, first);
        GptCheckpoint.Save(folder, second);
        using var loaded = GptCheckpoint.Load(folder);
        AssertSameWeights(second, loaded.Model);
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(folder)!)); // no temporary or old folder left
    }

    [Fact]
    public void Bf16_weights_round_trip()
    {
        string folder = RepoPaths.NewTempFolder("llmops-ckpt");
        using var model = Tiny.Model();
        model.to(ScalarType.BFloat16);
        GptCheckpoint.Save(folder, model);
        using var loaded = GptCheckpoint.Load(folder);
        Assert.Equal(ScalarType.BFloat16, loaded.Model.named_parameters().First().parameter.dtype);
        AssertSameWeights(model, loaded.Model);
    }

    [Fact]
    public void A_corrupt_header_fails_naming_the_file()
    {
        string folder = RepoPaths.NewTempFolder("llmops-ckpt");
        using var model = Tiny.Model();
        GptCheckpoint.Save(folder, model);
        string weights = Path.Combine(folder, GptCheckpoint.WeightsFile);
        byte[] bytes = File.ReadAllBytes(weights);

        bytes[8] = (byte)'#'; // the header's opening brace
        File.WriteAllBytes(weights, bytes);
        var error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder));
        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
        Assert.Contains("JSON header does not parse", error.Message, StringComparison.Ordinal);

        BitConverter.GetBytes(long.MaxValue / 2).CopyTo(bytes, 0);
        File.WriteAllBytes(weights, bytes);
        error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder));
        Assert.Contains("header length", error.Message, StringComparison.Ordinal);

        GptCheckpoint.Save(folder, model);
        bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^4]); // truncated data
        error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder));
        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
        Assert.Contains("data section holds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_mismatch_fails_naming_the_file_and_the_tensor()
    {
        string folder = RepoPaths.NewTempFolder("llmops-ckpt");
        using var model = Tiny.Model();
        GptCheckpoint.Save(folder, model);
        string config = Path.Combine(folder, GptCheckpoint.ConfigFile);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"VocabSize\": 11", "\"VocabSize\": 12", StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder));
        Assert.Contains(Path.Combine(folder, GptCheckpoint.WeightsFile), error.Message, StringComparison.Ordinal);
        Assert.Contains("'wte.weight' has shape [11, 16] but the model in", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs [12, 16]", error.Message, StringComparison.Ordinal);

        File.WriteAllText(config, "{ not json");
        error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder));
        Assert.Contains(config, error.Message, StringComparison.Ordinal);
    }
}
