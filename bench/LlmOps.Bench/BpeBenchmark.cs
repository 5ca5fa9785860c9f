using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;
using LlmOps.Core.Display;
using LlmOps.Core.Tokenization;

namespace LlmOps.Bench;

/// <summary>
/// BPE training speed on a real corpus for several vocabulary sizes. The peer measured in the same run is the floor any
/// BPE trainer pays: one pass of the pre-tokenization regex over the text (counting chunks), so the ratio says what the
/// merge phase adds on top. The trained tokenizer's encode speed on the same text is printed beside it.
/// </summary>
static class BpeBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        string datasetName = options.String("dataset", "sotu");
        int repeats = options.Int("repeat", 2);
        int[] vocabularies = [.. options.String("vocab", "1024,8192,32768").Split(',').Select(int.Parse)];
        var entry = DatasetCatalog.Default().Find(datasetName);
        var dataset = await new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry);
        List<string> texts = [.. DocumentReader.Read(dataset, new ReadOptions(Source: datasetName)).Select(d => d.Text)];
        double megabytes = texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t)) / 1e6;
        Console.WriteLine($"BPE training benchmark: {datasetName}, {texts.Count} documents, {megabytes:F1} MB, {Environment.ProcessorCount} cores, best of {repeats}");
        using var quiet = DisplayHook.Use(new ConsoleDisplaySink(TextWriter.Null));

        var regex = new BpeTokenizerModel("probe", BpeTrainerConfig.Gpt4Pattern, [], [], [], 0).CreateRegex();
        double floor = Timing.Best(repeats, () =>
        {
            long chunks = 0;
            foreach (string text in texts)
                chunks += regex.Count(text);
            return chunks;
        }).Seconds;
        Console.WriteLine($"floor: one pre-tokenization regex pass over the corpus, 1 thread: {floor:F2} s ({megabytes / floor:F1} MB/s)");
        Console.WriteLine();
        Console.WriteLine($"{"vocab",8} {"ranks",8} {"count s",8} {"merge s",8} {"total s",8} {"MB/s",7} {"vs floor",9} {"encode MB/s",12}");
        foreach (int vocab in vocabularies)
        {
            var (seconds, result) = Timing.Best(repeats, () => new BpeTrainer(new BpeTrainerConfig(VocabSize: vocab)).Train(texts));
            var tokenizer = LlmTokenizer.FromModel(result.Model);
            double encode = Timing.Best(1, () => texts.Sum(t => (long)tokenizer.CountTokens(t))).Seconds;
            Console.WriteLine($"{vocab,8} {result.Model.Ranks.Count,8} {result.CountSeconds,8:F2} {result.MergeSeconds,8:F2} {seconds,8:F2} {megabytes / seconds,7:F1} {seconds / floor,8:F2}x {megabytes / encode,12:F1}");
        }
        Console.WriteLine();
        Console.WriteLine("rerun: bash bench/bpe/run.sh [--vocab 1024,8192,32768] [--repeat N] [--dataset NAME]");
        return 0;
    }

}
