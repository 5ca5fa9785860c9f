using System.Buffers;
using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LlmOps.Core.Tokenization.Shards;

/// <summary>
/// A sharded split opened for training: every shard memory-mapped read-only, so the corpus stays in the OS page cache
/// instead of managed memory (a 10 GB corpus costs no heap), and ids are read by global offset across shard boundaries.
/// Random batches follow nanoGPT's <c>get_batch</c>; <see cref="Sequential"/> walks non-overlapping windows for evaluation.
/// Reads are thread-safe; <see cref="Dispose"/> releases the maps.
/// </summary>
public sealed class TokenDataset : IDisposable
{
    const int ChunkTokens = 4096;
    readonly MemoryMappedFile[] maps;
    readonly MemoryMappedViewAccessor[] views;
    readonly long[] starts; // starts[i]: global offset of shard i's first token; starts[^1]: the total
    readonly int width;
    bool disposed;

    TokenDataset(string folder, ShardIndex index, MemoryMappedFile[] maps, MemoryMappedViewAccessor[] views, long[] starts)
    {
        Folder = folder;
        Index = index;
        this.maps = maps;
        this.views = views;
        this.starts = starts;
        width = index.BytesPerToken;
    }

    /// <summary>The shard folder.</summary>
    public string Folder { get; }

    /// <summary>The index: tokenizer, vocab size, separator, source manifest, shards.</summary>
    public ShardIndex Index { get; }

    /// <summary>Tokens in the corpus, separators included.</summary>
    public long Count => starts[^1];

    /// <summary>Opens the split whose <c>index.json</c> is at <paramref name="path"/> (or in the folder <paramref name="path"/>)
    /// and maps its shards, checking each file's length against the index.</summary>
    /// <exception cref="FileNotFoundException">No index, or a shard the index lists is missing (the message names it).</exception>
    /// <exception cref="InvalidDataException">A shard's length differs from what the index records: truncated by a copy
    /// or a full disk, or from another run (the message names the file and both sizes).</exception>
    public static TokenDataset Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string indexPath = Directory.Exists(path) ? Path.Combine(path, ShardIndex.FileName) : path;
        var index = ShardIndex.Load(indexPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        int bytesPerToken = index.BytesPerToken;
        var maps = new List<MemoryMappedFile>();
        var views = new List<MemoryMappedViewAccessor>();
        var starts = new long[index.Shards.Count + 1];
        try
        {
            for (int i = 0; i < index.Shards.Count; i++)
            {
                var shard = index.Shards[i];
                string file = ShardPath(folder, indexPath, shard);
                long expected = checked(shard.Tokens * bytesPerToken);
                long actual = new FileInfo(file).Length;
                if (actual != expected)
                    throw new InvalidDataException(
                        $"{file}: {actual} bytes, but {indexPath} records {shard.Tokens} {index.DType} tokens ({expected} bytes); " +
                        (actual < expected ? "the shard is truncated (an interrupted copy or a full disk)." : "the shard is from another run.") +
                        " Shard the split again.");
                if (shard.Tokens <= 0)
                    throw new InvalidDataException($"{indexPath}: shard {shard.File} records {shard.Tokens} tokens; shards are never empty.");
                var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
                maps.Add(map);
                views.Add(map.CreateViewAccessor(0, expected, MemoryMappedFileAccess.Read));
                starts[i + 1] = starts[i] + shard.Tokens;
            }
        }
        catch
        {
            foreach (var view in views)
                view.Dispose();
            foreach (var map in maps)
                map.Dispose();
            throw;
        }
        return new TokenDataset(folder, index, [.. maps], [.. views], starts);
    }

    /// <summary>The id at global offset <paramref name="offset"/>.</summary>
    public int this[long offset]
    {
        get
        {
            Span<int> one = stackalloc int[1];
            CopyTo(offset, one);
            return one[0];
        }
    }

    /// <summary>Copies <c>destination.Length</c> ids from global offset <paramref name="offset"/> on, across shard
    /// boundaries: the span-shaped way to read without allocating.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range runs outside the corpus.</exception>
    public void CopyTo(long offset, Span<int> destination)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (offset < 0 || offset > Count - destination.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Tokens {offset}..{offset + destination.Length} run outside the corpus of {Count}.");
        if (destination.IsEmpty)
            return;
        int shard = ShardOf(offset);
        while (!destination.IsEmpty)
        {
            long local = offset - starts[shard];
            int count = (int)Math.Min(destination.Length, starts[shard + 1] - offset);
            ReadShard(shard, local, destination[..count]);
            destination = destination[count..];
            offset += count;
            shard++;
        }
    }

    /// <summary>The <paramref name="count"/> ids from global offset <paramref name="offset"/> on, as a new array.</summary>
    public int[] Read(long offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ids = new int[count];
        CopyTo(offset, ids);
        return ids;
    }

    /// <summary>
    /// A random batch, nanoGPT's <c>get_batch</c>: <paramref name="batchSize"/> windows starting at uniform offsets in
    /// [0, Count − T), inputs the T ids from there and targets the T ids one further. Deterministic given the state of
    /// <paramref name="random"/>; take it from <see cref="Platform.SeedScope.Random"/> (or use <see cref="TokenBatchSampler"/>)
    /// so a seed reproduces the data order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The corpus is not longer than one window.</exception>
    public TokenBatch Batch(int batchSize, int blockSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckShape(batchSize, blockSize);
        var offsets = new long[batchSize];
        for (int b = 0; b < batchSize; b++)
            offsets[b] = random.NextInt64(Count - blockSize);
        return Gather(offsets, blockSize);
    }

    /// <summary>How many non-overlapping evaluation windows of <paramref name="blockSize"/> the corpus holds (each needs
    /// one more token for its last target).</summary>
    public long WindowCount(int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        return Count == 0 ? 0 : (Count - 1) / blockSize;
    }

    /// <summary>
    /// Every non-overlapping window in corpus order (offsets 0, T, 2T, ...), <paramref name="batchSize"/> at a time (the
    /// last batch may be smaller): each token is predicted once, so validation loss covers the whole split and is the
    /// same on every run.
    /// </summary>
    public IEnumerable<TokenBatch> Sequential(int batchSize, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        long windows = WindowCount(blockSize);
        return Iterate();

        IEnumerable<TokenBatch> Iterate()
        {
            for (long first = 0; first < windows; first += batchSize)
            {
                int rows = (int)Math.Min(batchSize, windows - first);
                var offsets = new long[rows];
                for (int b = 0; b < rows; b++)
                    offsets[b] = (first + b) * blockSize;
                yield return Gather(offsets, blockSize);
            }
        }
    }

    /// <summary>Recomputes every shard's SHA-256 and compares it with the index: a full read, for when a corpus was copied
    /// between machines. Length checks at <see cref="Open"/> catch truncation; this catches changed bytes.</summary>
    /// <exception cref="InvalidDataException">A shard's content differs from the index (the message names it).</exception>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        foreach (var shard in Index.Shards)
        {
            string file = Path.Combine(Folder, shard.File);
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                string sha = Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).ToLowerInvariant();
                if (sha != shard.Sha256)
                    throw new InvalidDataException($"{file}: SHA-256 {sha}, but the index records {shard.Sha256}; the shard changed after it was written.");
            }
        }
    }

    /// <summary>Releases the memory maps; reads after this throw.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var view in views)
            view.Dispose();
        foreach (var map in maps)
            map.Dispose();
    }

    TokenBatch Gather(long[] offsets, int blockSize)
    {
        int rows = offsets.Length;
        var inputs = new long[rows * blockSize];
        var targets = new long[rows * blockSize];
        int[] window = ArrayPool<int>.Shared.Rent(blockSize + 1);
        try
        {
            for (int b = 0; b < rows; b++)
            {
                var ids = window.AsSpan(0, blockSize + 1);
                CopyTo(offsets[b], ids);
                var x = inputs.AsSpan(b * blockSize, blockSize);
                var y = targets.AsSpan(b * blockSize, blockSize);
                for (int t = 0; t < blockSize; t++)
                {
                    x[t] = ids[t];
                    y[t] = ids[t + 1];
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(window);
        }
        return new TokenBatch(inputs, targets, rows, blockSize, offsets);
    }

    void CheckShape(int batchSize, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        if (Count <= blockSize)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"The corpus has {Count} tokens; a window of {blockSize} needs at least {blockSize + 1}.");
        _ = checked(batchSize * blockSize);
    }

    int ShardOf(long offset)
    {
        int found = Array.BinarySearch(starts, offset);
        // An exact hit is a shard's first token; otherwise the complement points past the shard holding it.
        return found >= 0 ? found : ~found - 1;
    }

    void ReadShard(int shard, long local, Span<int> destination)
    {
        var view = views[shard];
        ulong byteOffset = (ulong)(view.PointerOffset + (local * width));
        var buffer = view.SafeMemoryMappedViewHandle;
        if (width == sizeof(uint))
        {
            buffer.ReadSpan(byteOffset, MemoryMarshal.Cast<int, uint>(destination));
            if (!BitConverter.IsLittleEndian)
                BinaryPrimitives.ReverseEndianness(destination, destination);
            return;
        }
        Span<ushort> narrow = stackalloc ushort[ChunkTokens];
        while (!destination.IsEmpty)
        {
            int count = Math.Min(destination.Length, ChunkTokens);
            var part = narrow[..count];
            buffer.ReadSpan(byteOffset, part);
            if (!BitConverter.IsLittleEndian)
                BinaryPrimitives.ReverseEndianness(part, part);
            for (int i = 0; i < count; i++)
                destination[i] = part[i];
            destination = destination[count..];
            byteOffset += (ulong)(count * sizeof(ushort));
        }
    }

    static string ShardPath(string folder, string indexPath, ShardEntry shard)
    {
        if (string.IsNullOrEmpty(shard.File) || Path.GetFileName(shard.File) != shard.File)
            throw new InvalidDataException($"{indexPath}: shard name '{shard.File}' is not a file name in the index's folder.");
        string file = Path.Combine(folder, shard.File);
        if (!File.Exists(file))
            throw new FileNotFoundException($"{file}: the shard is missing ({indexPath} lists it).", file);
        return file;
    }
}
