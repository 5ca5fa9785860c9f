using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using LlmOps.Core.Data;
using LlmOps.Core.Display;

namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// Encodes a split into binary token shards once, so training reads ids from memory-mapped files instead of
/// re-tokenizing text every epoch (nanoGPT's <c>prepare.py</c>). Documents are encoded in parallel batches on every core
/// but written in input order, so the same corpus and tokenizer always give byte-identical shards. The run writes
/// <c>{prefix}-NNNNN.bin</c> shards, then <c>index.json</c>, then a <c>shard</c> <see cref="DataManifest"/>: the index
/// last but one, atomically, so a folder with an index is complete.
/// </summary>
public static partial class TokenSharder
{
    /// <summary>Shards JSONL files (for example a split's <c>train.jsonl</c>), read in the order given. The manifest pins
    /// each file by hash; when <see cref="ShardingOptions.SourceManifestId"/> is not set, the id of a
    /// <c>manifest.json</c> next to the files (the cleaning or split run that wrote them) is recorded.</summary>
    /// <param name="files">The JSONL files.</param>
    /// <param name="encoder">The tokenizer.</param>
    /// <param name="options">Where and how to shard.</param>
    /// <param name="read">How to read the files (text field, bad-record policy).</param>
    /// <param name="cancellationToken">Stops between batches; see <see cref="ShardAsync"/>.</param>
    public static async Task<ShardingResult> ShardJsonlAsync(IReadOnlyList<string> files, ShardEncoder encoder, ShardingOptions options,
        ReadOptions? read = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (files.Count == 0)
            throw new ArgumentException("No input files.", nameof(files));
        foreach (string file in files)
            if (!File.Exists(file))
                throw new FileNotFoundException($"{file}: no such input file.", file);
        var records = new long[files.Count];
        IEnumerable<Document> Documents()
        {
            for (int i = 0; i < files.Count; i++)
                foreach (var document in DocumentReader.ReadJsonl(files[i], read))
                {
                    records[i]++;
                    yield return document;
                }
        }
        options = options with { SourceManifestId = options.SourceManifestId ?? SourceManifestNextTo(files) };
        return await ShardCoreAsync(Documents(), encoder, options,
            () => [.. files.Select((f, i) => ManifestFile.Of(f, records[i]) with { Path = Path.GetFileName(f) })], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shards <paramref name="documents"/>: encodes each, appends the separator, writes shards, the index and the
    /// manifest, and shows a live <see cref="ShardingProgress"/> through the display hook.</summary>
    /// <param name="documents">The documents, in corpus order.</param>
    /// <param name="encoder">The tokenizer.</param>
    /// <param name="options">Where and how to shard.</param>
    /// <param name="inputs">The files the documents came from, for the manifest (none when they came from memory).</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="OperationCanceledException">Cancelled: the shard in progress is deleted and no index is written,
    /// so the folder does not look like a complete corpus (shards completed before stay, each whole).</exception>
    public static Task<ShardingResult> ShardAsync(IEnumerable<Document> documents, ShardEncoder encoder, ShardingOptions options,
        IReadOnlyList<ManifestFile>? inputs = null, CancellationToken cancellationToken = default) =>
        ShardCoreAsync(documents, encoder, options, () => inputs ?? [], cancellationToken);

    static async Task<ShardingResult> ShardCoreAsync(IEnumerable<Document> documents, ShardEncoder encoder, ShardingOptions options,
        Func<IReadOnlyList<ManifestFile>> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(options);
        encoder.Validate();
        options.Validate();
        string folder = Path.GetFullPath(options.OutputFolder);
        Directory.CreateDirectory(folder);
        string indexPath = Path.Combine(folder, ShardIndex.FileName);
        string manifestPath = Path.Combine(folder, DataManifest.FileName);
        // An old index beside new shards would look complete and be wrong: it goes first, and comes back only at the end;
        // the old shards go with it, so an interrupted run leaves only its own whole shards.
        File.Delete(indexPath);
        File.Delete(manifestPath);
        RemoveShards(folder, options.Prefix);

        var clock = Stopwatch.StartNew();
        var display = DisplayHook.Show(new ShardingProgress(0, 0, 0, 0, 0));
        long textBytes = 0, separatorsInText = 0;
        double lastShown = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        IReadOnlyList<ShardEntry> shards;
        await using (var writer = new TokenShardWriter(folder, options.Prefix, encoder.VocabSize, encoder.SeparatorId, options.MaxTokensPerShard))
        {
            // Reading the next batch overlaps with encoding the previous one; writing stays in input order.
            Task<Encoded>? pending = null;
            try
            {
                foreach (var batch in documents.Chunk(options.DocumentsPerBatch))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (pending is not null)
                        await WriteAsync(await pending.ConfigureAwait(false)).ConfigureAwait(false);
                    pending = Task.Run(() => Encode(batch, encoder.Encode, parallel), cancellationToken);
                }
                if (pending is not null)
                    await WriteAsync(await pending.ConfigureAwait(false)).ConfigureAwait(false);
                pending = null;
                shards = await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // A failed write or read must not leave an encode running on the caller's encoder after we return.
                if (pending is not null)
                    await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            async Task WriteAsync(Encoded encoded)
            {
                for (int i = 0; i < encoded.Batch.Length; i++)
                {
                    int[] ids = encoded.Ids[i];
                    separatorsInText += ids.AsSpan().Count(encoder.SeparatorId);
                    await writer.WriteDocumentAsync(encoded.Batch[i].Id, ids, cancellationToken).ConfigureAwait(false);
                }
                textBytes += encoded.Bytes;
                if (clock.Elapsed.TotalSeconds - lastShown >= 0.25)
                {
                    lastShown = clock.Elapsed.TotalSeconds;
                    display.Update(new ShardingProgress(writer.Documents, writer.Tokens, writer.Shards.Count, textBytes / 1e6, lastShown));
                }
            }
        }

        var dtype = encoder.DType;
        var index = new ShardIndex(ShardIndex.CurrentFormatVersion, ShardIndex.DTypeName(dtype), encoder.VocabSize, encoder.SeparatorId,
            encoder.Name, options.SourceManifestId, shards, shards.Sum(s => s.Tokens), shards.Sum(s => s.Documents));
        await index.SaveAsync(indexPath, cancellationToken).ConfigureAwait(false);

        int bytesPerToken = index.BytesPerToken;
        var outputs = shards.Select(s => new ManifestFile(s.File, s.Sha256, s.Tokens * bytesPerToken, 1, s.Documents)).ToList();
        outputs.Add(ManifestFile.Of(indexPath) with { Path = ShardIndex.FileName });
        var config = new
        {
            tokenizer = encoder.Name,
            vocab_size = encoder.VocabSize,
            separator_id = encoder.SeparatorId,
            dtype = index.DType,
            prefix = options.Prefix,
            max_tokens_per_shard = options.MaxTokensPerShard,
            source_manifest_id = options.SourceManifestId,
        };
        var manifest = DataManifest.Create("shard", inputs(), config,
            [new ManifestStep("encode", index.TotalDocuments, index.TotalDocuments, 0, new Dictionary<string, long>())], outputs);
        manifest.Save(manifestPath);

        double elapsed = clock.Elapsed.TotalSeconds;
        display.Update(new ShardingProgress(index.TotalDocuments, index.TotalTokens, shards.Count, textBytes / 1e6, elapsed));
        return new ShardingResult(folder, index, indexPath, manifest, manifestPath, textBytes, separatorsInText, elapsed);
    }

    sealed record Encoded(Document[] Batch, int[][] Ids, long Bytes);

    static Encoded Encode(Document[] batch, Func<string, int[]> encode, ParallelOptions parallel)
    {
        var ids = new int[batch.Length][];
        var bytes = new long[batch.Length];
        Parallel.For(0, batch.Length, parallel, i =>
        {
            string text = batch[i].Text;
            ids[i] = encode(text) ?? throw new InvalidOperationException($"Document {batch[i].Id}: the encoder returned null.");
            bytes[i] = Encoding.UTF8.GetByteCount(text);
        });
        return new Encoded(batch, ids, bytes.Sum());
    }

    /// <summary>Removes the shards of this prefix an earlier run left, so the folder holds one corpus, never a mix.</summary>
    static void RemoveShards(string folder, string prefix)
    {
        foreach (string path in Directory.GetFiles(folder, $"{prefix}-*.bin"))
            if (ShardName().IsMatch(Path.GetFileName(path)[(prefix.Length + 1)..]))
                File.Delete(path);
    }

    /// <summary>The id of the one data manifest found next to <paramref name="files"/>, if there is exactly one.</summary>
    static string? SourceManifestNextTo(IReadOnlyList<string> files)
    {
        var ids = files.Select(f => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(f))!, DataManifest.FileName))
            .Distinct(StringComparer.Ordinal).Where(File.Exists).Select(p => DataManifest.Load(p).Id).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 1 ? ids[0] : null;
    }

    [GeneratedRegex("^[0-9]{5,}\\.bin$")]
    private static partial Regex ShardName();
}
