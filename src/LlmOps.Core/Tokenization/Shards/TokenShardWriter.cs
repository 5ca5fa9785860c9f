using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// Appends encoded documents, each followed by the separator id, to numbered raw shard files of at most a fixed number
/// of tokens. Each shard is written to a hidden temporary file and renamed when full (or at <see cref="CompleteAsync"/>),
/// so an interrupted run never leaves a half shard under a shard's name; disposing before completion deletes the
/// shard in progress. Documents that do not fit continue in the next shard, so every shard but the last is full.
/// </summary>
public sealed class TokenShardWriter : IAsyncDisposable
{
    const int BufferBytes = 1 << 20;
    readonly string folder;
    readonly string prefix;
    readonly TokenDType dtype;
    readonly int vocabSize;
    readonly int separatorId;
    readonly long maxTokensPerShard;
    readonly byte[] buffer = new byte[BufferBytes];
    readonly List<ShardEntry> shards = [];
    FileStream? stream;
    IncrementalHash? hash;
    string? temporaryPath;
    int buffered;
    long shardTokens;
    long shardDocuments;
    bool completed;

    /// <summary>A writer of <c>{prefix}-00000.bin</c>, <c>{prefix}-00001.bin</c>, ... in <paramref name="folder"/>.</summary>
    /// <param name="folder">The output folder (created if needed).</param>
    /// <param name="prefix">The start of each file name.</param>
    /// <param name="vocabSize">Ids must be below it; picks the storage type.</param>
    /// <param name="separatorId">The id written after every document.</param>
    /// <param name="maxTokensPerShard">Tokens per shard file.</param>
    public TokenShardWriter(string folder, string prefix, int vocabSize, int separatorId, long maxTokensPerShard = ShardingOptions.DefaultMaxTokensPerShard)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokensPerShard);
        dtype = ShardEncoder.DTypeFor(vocabSize);
        if (separatorId < 0 || separatorId >= vocabSize)
            throw new ArgumentOutOfRangeException(nameof(separatorId), separatorId, $"The separator id must be below the vocab size {vocabSize}.");
        this.folder = Path.GetFullPath(folder);
        this.prefix = prefix;
        this.vocabSize = vocabSize;
        this.separatorId = separatorId;
        this.maxTokensPerShard = maxTokensPerShard;
        Directory.CreateDirectory(this.folder);
    }

    /// <summary>The storage type chosen by vocab size.</summary>
    public TokenDType DType => dtype;

    /// <summary>Shards completed (renamed into place) so far.</summary>
    public IReadOnlyList<ShardEntry> Shards => shards;

    /// <summary>Tokens written so far, separators included.</summary>
    public long Tokens { get; private set; }

    /// <summary>Documents written so far.</summary>
    public long Documents { get; private set; }

    /// <summary>The file name of shard number <paramref name="number"/>.</summary>
    public static string ShardFileName(string prefix, int number) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number:D5}.bin");

    /// <summary>Appends one document's ids and then the separator.</summary>
    /// <param name="documentId">Named in the error when an id is out of range.</param>
    /// <param name="tokens">The document's ids.</param>
    /// <param name="cancellationToken">Stops between buffer flushes.</param>
    /// <exception cref="InvalidDataException">An id is negative or not below the vocab size (the encoder does not match
    /// the vocab size it was declared with).</exception>
    public async ValueTask WriteDocumentAsync(string documentId, ReadOnlyMemory<int> tokens, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(completed, this);
        int position = 0;
        while (position < tokens.Length)
        {
            position += Append(documentId, tokens.Span[position..]);
            await FlushIfNeededAsync(cancellationToken).ConfigureAwait(false);
        }
        Append(documentId, new ReadOnlySpan<int>(in separatorId));
        shardDocuments++;
        Documents++;
        await FlushIfNeededAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes out the last shard and returns every shard in order. An empty corpus has no shards.</summary>
    public async Task<IReadOnlyList<ShardEntry>> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(completed, this);
        if (stream is not null)
            await CloseShardAsync(cancellationToken).ConfigureAwait(false);
        completed = true;
        return shards;
    }

    /// <summary>Deletes the shard in progress unless <see cref="CompleteAsync"/> ran: a cancelled or failed run leaves
    /// only complete shards (and no index).</summary>
    public async ValueTask DisposeAsync()
    {
        completed = true;
        if (stream is not null)
            await stream.DisposeAsync().ConfigureAwait(false);
        stream = null;
        hash?.Dispose();
        hash = null;
        if (temporaryPath is not null)
            File.Delete(temporaryPath);
        temporaryPath = null;
    }

    /// <summary>Encodes as many ids as fit in the buffer and the current shard; returns how many.</summary>
    int Append(string documentId, ReadOnlySpan<int> ids)
    {
        if (stream is null)
            OpenShard();
        int width = dtype == TokenDType.U16 ? sizeof(ushort) : sizeof(uint);
        int count = (int)Math.Min(Math.Min(ids.Length, (BufferBytes - buffered) / width), maxTokensPerShard - shardTokens);
        Span<byte> target = buffer.AsSpan(buffered, count * width);
        for (int i = 0; i < count; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)vocabSize)
                throw new InvalidDataException($"Document {documentId}: token id {id} is outside the vocabulary (0..{vocabSize - 1}); the encoder does not match the declared vocab size.");
            if (width == sizeof(ushort))
                BinaryPrimitives.WriteUInt16LittleEndian(target[(i * 2)..], (ushort)id);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(target[(i * 4)..], (uint)id);
        }
        buffered += count * width;
        shardTokens += count;
        Tokens += count;
        return count;
    }

    async ValueTask FlushIfNeededAsync(CancellationToken cancellationToken)
    {
        if (shardTokens == maxTokensPerShard)
            await CloseShardAsync(cancellationToken).ConfigureAwait(false);
        else if (buffered > BufferBytes - sizeof(uint))
            await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    void OpenShard()
    {
        string name = ShardFileName(prefix, shards.Count);
        temporaryPath = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        shardTokens = 0;
        shardDocuments = 0;
    }

    async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (buffered == 0)
            return;
        hash!.AppendData(buffer, 0, buffered);
        await stream!.WriteAsync(buffer.AsMemory(0, buffered), cancellationToken).ConfigureAwait(false);
        buffered = 0;
    }

    async Task CloseShardAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream!.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
        stream = null;
        string name = ShardFileName(prefix, shards.Count);
        File.Move(temporaryPath!, Path.Combine(folder, name), overwrite: true);
        temporaryPath = null;
        string sha = Convert.ToHexString(hash!.GetHashAndReset()).ToLowerInvariant();
        hash.Dispose();
        hash = null;
        shards.Add(new ShardEntry(name, shardTokens, shardDocuments, sha));
    }
}
