using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using LlmOps.Core.Display;

namespace LlmOps.Core.Tokenization;

/// <summary>
/// Trains a byte-level BPE tokenizer the way GPT-2/GPT-4 style tokenizers are trained: cut the text into chunks with
/// the pre-tokenization regex, count distinct chunks as UTF-8 byte sequences, start from the 256 single bytes, and
/// repeatedly merge the most frequent adjacent pair. Pair counts are updated incrementally (an index from each pair
/// to the chunks that contain it, and a max-heap with lazy invalidation), so each merge costs only the chunks it
/// touches; that is what makes a few megabytes train in seconds. Ties go to the smallest (left, right) ids, so
/// training is deterministic. Counting runs on all cores.
/// </summary>
public sealed class BpeTrainer
{
    const double ProgressIntervalSeconds = 0.25;

    /// <summary>A trainer for <paramref name="config"/>, checked up front so a bad config fails before reading data.</summary>
    /// <exception cref="ArgumentException">The vocabulary is too small for the bytes and specials, a special token is
    /// empty or repeated, or the pattern is not a valid regex.</exception>
    public BpeTrainer(BpeTrainerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var specials = config.EffectiveSpecialTokens;
        if (config.VocabSize < 256 + specials.Count)
            throw new ArgumentException($"VocabSize {config.VocabSize} is below 256 byte tokens + {specials.Count} special tokens.", nameof(config));
        if (config.MinFrequency < 1)
            throw new ArgumentException($"MinFrequency must be at least 1, not {config.MinFrequency}.", nameof(config));
        if (specials.Any(string.IsNullOrEmpty))
            throw new ArgumentException("A special token is empty.", nameof(config));
        if (specials.Distinct(StringComparer.Ordinal).Count() != specials.Count)
            throw new ArgumentException($"Special tokens repeat: {string.Join(", ", specials)}.", nameof(config));
        try
        {
            pattern = BpeTokenizerModel.CreatePatternRegex(config.EffectivePattern);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Pattern is not a valid .NET regex: {e.Message}", nameof(config), e);
        }
        Config = config;
    }

    readonly Regex pattern;

    /// <summary>The configuration this trainer applies.</summary>
    public BpeTrainerConfig Config { get; }

    /// <summary>
    /// Trains on <paramref name="texts"/> (each one a document; chunks never span two) and shows a live
    /// <see cref="BpeTrainingProgress"/> through the display hook.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public BpeTrainingResult Train(IEnumerable<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var specials = Config.EffectiveSpecialTokens;
        int targetRanks = Config.VocabSize - specials.Count;
        int mergesTotal = targetRanks - 256;
        var clock = Stopwatch.StartNew();
        var display = new Progress(DisplayHook.Show(new BpeTrainingProgress("counting", 0, 0, mergesTotal, 0)), clock);

        var specialSplitter = specials.Count == 0 ? null
            : new Regex(string.Join('|', specials.OrderByDescending(s => s.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);
        var counted = CountChunks(texts, specialSplitter, display, mergesTotal, cancellationToken);
        double countSeconds = clock.Elapsed.TotalSeconds;

        var merger = new Merger(counted.Counts, Config.MinFrequency);
        var merges = merger.Run(targetRanks,
            done => display.Maybe(() => new BpeTrainingProgress("merging", counted.Bytes / 1e6, done, mergesTotal, clock.Elapsed.TotalSeconds)),
            cancellationToken);
        double mergeSeconds = clock.Elapsed.TotalSeconds - countSeconds;

        int firstSpecial = merger.Ranks.Count;
        var model = new BpeTokenizerModel(Config.Name, Config.EffectivePattern, merger.Ranks,
            [.. specials.Select((text, i) => new VocabularyToken(text, firstSpecial + i))], [], merges.Count);
        display.Final(new BpeTrainingProgress("done", counted.Bytes / 1e6, merger.Ranks.Count - 256, mergesTotal, clock.Elapsed.TotalSeconds));
        return new BpeTrainingResult(model, merges, counted.Bytes, counted.Chunks, counted.Counts.Count, countSeconds, mergeSeconds);
    }

    sealed record Counted(Dictionary<string, long> Counts, long Bytes, long Chunks);

    Counted CountChunks(IEnumerable<string> texts, Regex? specialSplitter, Progress display, int mergesTotal, CancellationToken cancellationToken)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        long bytes = 0, chunks = 0;
        var gate = new object();
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.ForEach(texts, options, () => new ChunkCounter(pattern, specialSplitter), (text, _, counter) =>
        {
            if (string.IsNullOrEmpty(text))
                return counter;
            counter.Add(text);
            long read = Interlocked.Add(ref bytes, Encoding.UTF8.GetByteCount(text));
            display.Maybe(() => new BpeTrainingProgress("counting", read / 1e6, 0, mergesTotal, display.Seconds));
            return counter;
        }, counter =>
        {
            lock (gate)
            {
                chunks += counter.Chunks;
                foreach (var (chunk, count) in counter.Counts)
                    CollectionsMarshal.GetValueRefOrAddDefault(total, chunk, out _) += count;
            }
        });
        return new Counted(total, bytes, chunks);
    }

    /// <summary>One worker's chunk counts; merged into the total when the worker finishes.</summary>
    sealed class ChunkCounter(Regex pattern, Regex? specialSplitter)
    {
        public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);
        public long Chunks { get; private set; }
        Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>>? lookup;

        public void Add(string text)
        {
            if (specialSplitter is null)
            {
                AddSegment(text);
                return;
            }
            int start = 0;
            foreach (var special in specialSplitter.EnumerateMatches(text))
            {
                AddSegment(text.AsSpan(start, special.Index - start));
                start = special.Index + special.Length;
            }
            AddSegment(text.AsSpan(start));
        }

        void AddSegment(ReadOnlySpan<char> segment)
        {
            var spans = lookup ??= Counts.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var match in pattern.EnumerateMatches(segment))
            {
                var chunk = segment.Slice(match.Index, match.Length);
                CollectionsMarshal.GetValueRefOrAddDefault(spans, chunk, out _)++;
                Chunks++;
            }
        }
    }

    /// <summary>The merge phase over distinct chunks (words): pair counts, the pair-to-word index and the heap.</summary>
    sealed class Merger
    {
        readonly int[][] words;
        readonly long[] frequencies;
        readonly Dictionary<long, long> pairCounts = [];
        readonly Dictionary<long, HashSet<int>> pairWords = [];
        readonly PriorityQueue<long, PairPriority> heap = new(PairPriority.Comparer);
        readonly Dictionary<string, int> idsByBytes = new(StringComparer.Ordinal);
        readonly Dictionary<long, long> delta = [];
        readonly List<int> buffer = [];
        readonly int minFrequency;

        public List<byte[]> Ranks { get; } = [];

        public Merger(Dictionary<string, long> chunkCounts, int minFrequency)
        {
            this.minFrequency = minFrequency;
            for (int b = 0; b < 256; b++)
            {
                Ranks.Add([(byte)b]);
                idsByBytes[Key([(byte)b])] = b;
            }
            // Ordinal order, so word numbering (and with it every internal iteration) is the same run to run.
            var chunks = chunkCounts.Keys.Order(StringComparer.Ordinal).ToArray();
            words = new int[chunks.Length][];
            frequencies = new long[chunks.Length];
            for (int w = 0; w < chunks.Length; w++)
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(chunks[w]);
                words[w] = [.. utf8.Select(b => (int)b)];
                frequencies[w] = chunkCounts[chunks[w]];
                for (int i = 0; i + 1 < utf8.Length; i++)
                {
                    long pair = Pair(utf8[i], utf8[i + 1]);
                    CollectionsMarshal.GetValueRefOrAddDefault(pairCounts, pair, out _) += frequencies[w];
                    WordsOf(pair).Add(w);
                }
            }
            foreach (var (pair, count) in pairCounts)
                heap.Enqueue(pair, new PairPriority(count, pair));
        }

        public List<BpeMerge> Run(int targetRanks, Action<int> progress, CancellationToken cancellationToken)
        {
            var merges = new List<BpeMerge>();
            while (Ranks.Count < targetRanks && heap.TryDequeue(out long pair, out var priority))
            {
                if (!pairCounts.TryGetValue(pair, out long count) || count != priority.Count)
                    continue; // stale: the pair's count changed after this entry was queued
                if (count < minFrequency)
                    break;
                cancellationToken.ThrowIfCancellationRequested();
                int left = (int)(pair >> 32), right = (int)(pair & 0xFFFFFFFF);
                byte[] bytes = [.. Ranks[left], .. Ranks[right]];
                string key = Key(bytes);
                if (!idsByBytes.TryGetValue(key, out int merged))
                {
                    merged = Ranks.Count;
                    Ranks.Add(bytes);
                    idsByBytes[key] = merged;
                }
                merges.Add(new BpeMerge(left, right, merged, count));
                Apply(pair, left, right, merged);
                progress(Ranks.Count - 256);
            }
            return merges;
        }

        void Apply(long pair, int left, int right, int merged)
        {
            delta.Clear();
            pairWords.Remove(pair, out var affected);
            foreach (int w in affected ?? [])
            {
                int[] old = words[w];
                if (!Contains(old, left, right))
                    continue; // the index is lazy: an earlier merge already consumed the pair here
                buffer.Clear();
                for (int i = 0; i < old.Length; i++)
                {
                    if (i + 1 < old.Length && old[i] == left && old[i + 1] == right)
                    {
                        buffer.Add(merged);
                        i++;
                    }
                    else
                    {
                        buffer.Add(old[i]);
                    }
                }
                long frequency = frequencies[w];
                for (int i = 0; i + 1 < old.Length; i++)
                    CollectionsMarshal.GetValueRefOrAddDefault(delta, Pair(old[i], old[i + 1]), out _) -= frequency;
                for (int i = 0; i + 1 < buffer.Count; i++)
                {
                    long next = Pair(buffer[i], buffer[i + 1]);
                    CollectionsMarshal.GetValueRefOrAddDefault(delta, next, out _) += frequency;
                    if (buffer[i] == merged || buffer[i + 1] == merged)
                        WordsOf(next).Add(w);
                }
                words[w] = [.. buffer];
            }
            foreach (var (changed, difference) in delta)
            {
                if (difference == 0)
                    continue;
                long count = pairCounts.GetValueOrDefault(changed) + difference;
                if (count <= 0)
                {
                    pairCounts.Remove(changed);
                    continue;
                }
                pairCounts[changed] = count;
                heap.Enqueue(changed, new PairPriority(count, changed));
            }
        }

        HashSet<int> WordsOf(long pair)
        {
            ref var set = ref CollectionsMarshal.GetValueRefOrAddDefault(pairWords, pair, out _);
            return set ??= [];
        }

        static bool Contains(int[] word, int left, int right)
        {
            for (int i = 0; i + 1 < word.Length; i++)
            {
                if (word[i] == left && word[i + 1] == right)
                    return true;
            }
            return false;
        }

        static long Pair(int left, int right) => ((long)left << 32) | (uint)right;

        static string Key(byte[] bytes) => Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Heap order: higher count first, then the smaller (left, right) pair, which is the smaller key.</summary>
    readonly record struct PairPriority(long Count, long Pair)
    {
        public static IComparer<PairPriority> Comparer { get; } = Comparer<PairPriority>.Create((x, y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair));
    }

    /// <summary>Throttles display updates to a few a second, from any thread.</summary>
    sealed class Progress(IDisplayHandle handle, Stopwatch clock)
    {
        readonly object gate = new();
        double lastShown;

        public double Seconds => clock.Elapsed.TotalSeconds;

        public void Maybe(Func<BpeTrainingProgress> value)
        {
            double now = clock.Elapsed.TotalSeconds;
            if (now - Volatile.Read(ref lastShown) < ProgressIntervalSeconds || !Monitor.TryEnter(gate))
                return;
            try
            {
                if (now - lastShown >= ProgressIntervalSeconds)
                {
                    lastShown = now;
                    handle.Update(value());
                }
            }
            finally
            {
                Monitor.Exit(gate);
            }
        }

        public void Final(BpeTrainingProgress value)
        {
            lock (gate)
                handle.Update(value);
        }
    }
}
