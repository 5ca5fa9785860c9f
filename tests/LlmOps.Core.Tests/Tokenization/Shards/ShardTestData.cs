using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Display;
using LlmOps.Core.Tokenization.Shards;

namespace LlmOps.Core.Tests.Tokenization.Shards;

/// <summary>A byte-level encoder (ids are UTF-8 bytes, exactly invertible) and small corpora for the shard tests.</summary>
static class ShardTestData
{
    public const int ByteSeparator = 256;

    /// <summary>UTF-8 bytes as ids; <paramref name="vocabSize"/> above 65,536 forces uint32 shards with the same ids.</summary>
    public static ShardEncoder Bytes(int vocabSize = 257, int separator = ByteSeparator, string name = "bytes") =>
        new(name, text => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)], vocabSize, separator);

    /// <summary>Splits ids at the separator and decodes each piece as UTF-8: the documents back.</summary>
    public static List<string> DecodeDocuments(ReadOnlySpan<int> ids, int separator = ByteSeparator)
    {
        var documents = new List<string>();
        var current = new List<byte>();
        foreach (int id in ids)
        {
            if (id == separator)
            {
                documents.Add(Encoding.UTF8.GetString([.. current]));
                current.Clear();
            }
            else
            {
                current.Add((byte)id);
            }
        }
        Assert.Empty(current); // the corpus ends with a separator
        return documents;
    }

    /// <summary>Documents of varied lengths (empty, one character, non-ASCII, long), in a fixed order.</summary>
    public static List<Document> Corpus(int count = 40)
    {
        var random = new Random(7);
        var documents = new List<Document>();
        for (int i = 0; i < count; i++)
        {
            string text = (i % 10) switch
            {
                0 => "",
                1 => "x",
                2 => "Größe über 9000 — 東京 🙂",
                _ => string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => (char)('a' + random.Next(26)))),
            };
            documents.Add(new Document($"doc{i}", text, "test"));
        }
        return documents;
    }

    /// <summary>The ids the corpus should shard to: each document's bytes, then the separator.</summary>
    public static int[] Expected(IEnumerable<Document> documents, int separator = ByteSeparator) =>
        [.. documents.SelectMany(d => Encoding.UTF8.GetBytes(d.Text).Select(b => (int)b).Append(separator))];

    public static IDisposable QuietDisplay() => DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));

    public static async Task<ShardingResult> ShardAsync(string folder, IEnumerable<Document> documents, ShardEncoder? encoder = null,
        long maxTokens = 50, int documentsPerBatch = 4, CancellationToken cancellationToken = default)
    {
        using var _ = QuietDisplay();
        return await TokenSharder.ShardAsync(documents, encoder ?? Bytes(),
            new ShardingOptions(folder, MaxTokensPerShard: maxTokens, DocumentsPerBatch: documentsPerBatch), cancellationToken: cancellationToken);
    }
}
