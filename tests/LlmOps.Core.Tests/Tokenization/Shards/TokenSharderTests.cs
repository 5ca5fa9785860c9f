using System.Security.Cryptography;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Tokenization.Shards;
using LlmOps.Tests;
using Microsoft.ML.Tokenizers;

namespace LlmOps.Core.Tests.Tokenization.Shards;

public class TokenSharderTests
{

    [Fact]
    public async Task Tokens_read_back_decode_to_the_documents_joined_by_the_separator()
    {
        string folder = RepoPaths.NewTempFolder("llmops-shards-roundtrip");
        var documents = ShardTestData.Corpus();
        var sink = new RecordingSink();
        ShardingResult result;
        using (DisplayHook.Use(sink))
            result = await TokenSharder.ShardAsync(documents, ShardTestData.Bytes(), new ShardingOptions(folder, MaxTokensPerShard: 50, DocumentsPerBatch: 3));

        int[] expected = ShardTestData.Expected(documents);
        Assert.Equal(expected.Length, result.Tokens);
        Assert.Equal(documents.Count, result.Documents);
        Assert.True(result.Index.Shards.Count > 5, "tiny shards: the corpus spans many files");
        Assert.All(result.Index.Shards.SkipLast(1), s => Assert.Equal(50, s.Tokens)); // every shard but the last is full
        Assert.Equal([.. result.Index.Shards.Select((_, i) => $"train-{i:D5}.bin")], result.Index.Shards.Select(s => s.File));
        using var dataset = TokenDataset.Open(folder);
        int[] read = dataset.Read(0, (int)dataset.Count);
        Assert.Equal(expected, read);
        Assert.Equal(documents.Select(d => d.Text), ShardTestData.DecodeDocuments(read));
        var last = Assert.IsType<ShardingProgress>(sink.Values[^1]);
        Assert.Equal((documents.Count, expected.Length, result.Index.Shards.Count), (last.Documents, last.Tokens, last.Shards));
    }

    [Fact]
    public async Task O200k_base_shards_as_uint32_and_decodes_back_to_the_documents()
    {
        string folder = RepoPaths.NewTempFolder("llmops-shards-o200k");
        var tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");
        int separator = tokenizer.SpecialTokens!["<|endoftext|>"];
        int vocab = tokenizer.SpecialTokens.Values.Max() + 1; // special tokens follow the ranks: 200,019 for o200k_base
        var encoder = new ShardEncoder("o200k_base", text => [.. tokenizer.EncodeToIds(text)], vocab, separator);
        var documents = ShardTestData.Corpus(12).Where(d => d.Text.Length > 0).ToList();

        var result = await ShardTestData.ShardAsync(folder, documents, encoder, maxTokens: 16);

        Assert.Equal(TokenDType.U32, encoder.DType);
        Assert.Equal("uint32", result.Index.DType);
        Assert.Equal("o200k_base", result.Index.Tokenizer);
        Assert.All(result.Index.Shards, s => Assert.Equal(s.Tokens * 4, new FileInfo(Path.Combine(folder, s.File)).Length));
        using var dataset = TokenDataset.Open(folder);
        int[] ids = dataset.Read(0, (int)dataset.Count);
        Assert.Equal(documents.Count, ids.Count(id => id == separator));
        Assert.Equal(string.Join("<|endoftext|>", documents.Select(d => d.Text)) + "<|endoftext|>", tokenizer.Decode(ids));
        Assert.Equal(0, result.SeparatorsInText);
    }

    [Theory]
    [InlineData(257, TokenDType.U16, 2)]
    [InlineData(65536, TokenDType.U16, 2)]
    [InlineData(65537, TokenDType.U32, 4)]
    [InlineData(200019, TokenDType.U32, 4)]
    public async Task The_dtype_is_uint16_while_every_id_fits_and_uint32_above(int vocab, TokenDType dtype, int width)
    {
        string folder = RepoPaths.NewTempFolder("llmops-shards-dtype");
        var documents = ShardTestData.Corpus(10);
        var result = await ShardTestData.ShardAsync(folder, documents, ShardTestData.Bytes(vocab, separator: vocab - 1));

        Assert.Equal(dtype, ShardEncoder.DTypeFor(vocab));
        Assert.Equal(ShardIndex.DTypeName(dtype), result.Index.DType);
        long bytes = result.Index.Shards.Sum(s => new FileInfo(Path.Combine(folder, s.File)).Length);
        Assert.Equal(result.Tokens * width, bytes);
        using var dataset = TokenDataset.Open(folder);
        Assert.Equal(ShardTestData.Expected(documents, vocab - 1), dataset.Read(0, (int)dataset.Count));
    }

    [Fact]
    public async Task Index_and_manifest_hashes_match_the_files_and_name_tokenizer_inputs_and_source()
    {
        string root = RepoPaths.NewTempFolder("llmops-shards-manifest");
        string split = Path.Combine(root, "split");
        Directory.CreateDirectory(split);
        string train = Path.Combine(split, "train.jsonl");
        var documents = ShardTestData.Corpus(25);
        DocumentWriter.WriteJsonl(train, documents);
        var source = DataManifest.Create("split", [], new { seed = 1 }, [], [ManifestFile.Of(train, documents.Count) with { Path = "train.jsonl" }]);
        source.Save(Path.Combine(split, DataManifest.FileName));
        string folder = Path.Combine(root, "shards");

        ShardingResult result;
        using (ShardTestData.QuietDisplay())
            result = await TokenSharder.ShardJsonlAsync([train], ShardTestData.Bytes(), new ShardingOptions(folder, MaxTokensPerShard: 64));

        foreach (var shard in result.Index.Shards)
            Assert.Equal(shard.Sha256, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, shard.File)))).ToLowerInvariant());
        Assert.Equal(source.Id, result.Index.SourceManifestId);
        var manifest = DataManifest.Load(result.ManifestPath);
        Assert.Equal("shard", manifest.Kind);
        Assert.Equal(result.Manifest.Id, manifest.Id);
        Assert.Empty(manifest.ChangedOutputs(folder));
        Assert.Equal([.. result.Index.Shards.Select(s => s.File), ShardIndex.FileName], manifest.Outputs.Select(o => o.Path));
        var input = Assert.Single(manifest.Inputs);
        Assert.Equal(("train.jsonl", ManifestFile.Of(train).Sha256, (long?)documents.Count), (input.Path, input.Sha256, input.Records));
        Assert.Equal("bytes", (string?)manifest.Config!["tokenizer"]);
        Assert.Equal(source.Id, (string?)manifest.Config["source_manifest_id"]);
        var loaded = ShardIndex.Load(result.IndexPath);
        Assert.Equal(result.Index.Shards, loaded.Shards);
        Assert.Equal(result.Index, loaded with { Shards = result.Index.Shards });

        using var dataset = TokenDataset.Open(folder);
        await dataset.VerifyAsync();
        string second = Path.Combine(folder, result.Index.Shards[1].File);
        byte[] bytes = File.ReadAllBytes(second);
        bytes[3] ^= 1;
        File.WriteAllBytes(second, bytes);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => dataset.VerifyAsync());
        Assert.Contains(result.Index.Shards[1].File, error.Message, StringComparison.Ordinal);
        Assert.Equal([result.Index.Shards[1].File], manifest.ChangedOutputs(folder));
    }

    [Fact]
    public async Task Output_is_byte_identical_whatever_the_parallelism_and_encoder_timing()
    {
        var documents = ShardTestData.Corpus(60);
        var bytes = ShardTestData.Bytes();
        // Early documents encode slowest, so with many threads they finish last: order must come from the input.
        var slow = bytes with { Encode = text => { Thread.Sleep(text.Length % 3); return bytes.Encode(text); } };
        using var _ = ShardTestData.QuietDisplay();
        var serial = await TokenSharder.ShardAsync(documents, bytes,
            new ShardingOptions(RepoPaths.NewTempFolder("llmops-shards-serial"), MaxTokensPerShard: 40, DocumentsPerBatch: 60, MaxDegreeOfParallelism: 1));
        var parallel = await TokenSharder.ShardAsync(documents, slow,
            new ShardingOptions(RepoPaths.NewTempFolder("llmops-shards-parallel"), MaxTokensPerShard: 40, DocumentsPerBatch: 7));

        Assert.Equal(serial.Index.Shards, parallel.Index.Shards);
        Assert.Equal(serial.Manifest.Id, parallel.Manifest.Id);
    }

    [Fact]
    public async Task Cancelling_leaves_only_whole_shards_and_no_index()
    {
        string folder = RepoPaths.NewTempFolder("llmops-shards-cancel");
        var documents = ShardTestData.Corpus(200);
        await ShardTestData.ShardAsync(folder, documents, maxTokens: 30); // an earlier complete run in the same folder
        using var cancel = new CancellationTokenSource();
        int encoded = 0;
        var bytes = ShardTestData.Bytes();
        var cancelling = bytes with
        {
            Encode = text =>
            {
                if (Interlocked.Increment(ref encoded) == 120)
                    cancel.Cancel();
                return bytes.Encode(text);
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ShardTestData.ShardAsync(folder, documents, cancelling, maxTokens: 30, documentsPerBatch: 10, cancellationToken: cancel.Token));

        Assert.False(File.Exists(Path.Combine(folder, ShardIndex.FileName)));
        Assert.False(File.Exists(Path.Combine(folder, DataManifest.FileName)));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(folder, ".*")));
        Assert.All(Directory.GetFiles(folder, "train-*.bin"), f => Assert.Equal(30 * 2, new FileInfo(f).Length));
        Assert.Throws<FileNotFoundException>(() => TokenDataset.Open(folder));
    }

    [Fact]
    public async Task An_id_outside_the_declared_vocabulary_fails_naming_the_document()
    {
        string folder = RepoPaths.NewTempFolder("llmops-shards-range");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            ShardTestData.ShardAsync(folder, [new Document("ok", "a", "t"), new Document("wide", "é", "t")], ShardTestData.Bytes(vocabSize: 128, separator: 127)));

        Assert.Contains("wide", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_rerun_with_fewer_shards_removes_the_stale_ones()
    {
        string folder = RepoPaths.NewTempFolder("llmops-shards-stale");
        var first = await ShardTestData.ShardAsync(folder, ShardTestData.Corpus(40), maxTokens: 20);
        var second = await ShardTestData.ShardAsync(folder, ShardTestData.Corpus(5), maxTokens: 20);

        Assert.True(first.Index.Shards.Count > second.Index.Shards.Count);
        Assert.Equal(second.Index.Shards.Select(s => s.File), Directory.GetFiles(folder, "train-*.bin").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
