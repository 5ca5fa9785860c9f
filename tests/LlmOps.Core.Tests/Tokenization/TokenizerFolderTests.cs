using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmOps.Core.Tokenization;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Tokenization;

public class TokenizerFolderTests
{
    static string SavedSmall(string? trainedOn = null)
    {
        string folder = Path.Combine(RepoPaths.NewTempFolder("llmops-tokenizer"), "small");
        TokenizerFolder.Save(TokenizationSamples.Small.Model with { TrainedOn = trainedOn }, folder);
        return folder;
    }

    [Fact]
    public void The_folder_holds_tiktoken_ranks_and_a_spec_and_loads_back_the_same_encoder()
    {
        string folder = SavedSmall("0123456789abcdef");
        var model = TokenizationSamples.Small.Model;

        string[] lines = File.ReadAllLines(Path.Combine(folder, TokenizerFolder.RanksFileName));
        Assert.Equal(599, lines.Length);
        Assert.Equal("AA== 0", lines[0]);
        Assert.Equal($"{Convert.ToBase64String(model.Ranks[598])} 598", lines[598]);
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, TokenizerFolder.SpecFileName)))!;
        Assert.Equal("llmops-tiktoken-bpe", (string?)spec["format"]);
        Assert.Equal(1, (int?)spec["version"]);
        Assert.Equal(600, (int?)spec["vocab_size"]);
        Assert.Equal(599, (int?)spec["ranks"]);
        Assert.Equal(TokenizationSamples.Small.Merges.Count, (int?)spec["merges"]);
        Assert.Equal("0123456789abcdef", (string?)spec["trained_on"]);
        Assert.Equal("<|endoftext|>", (string?)spec["special_tokens"]![0]!["text"]);
        Assert.Equal(599, (int?)spec["special_tokens"]![0]!["id"]);

        var loaded = TokenizerFolder.Load(folder);
        var direct = LlmTokenizer.FromModel(model);
        Assert.Equal("small", loaded.Name);
        Assert.Equal(600, loaded.VocabSize);
        Assert.Equal(model.Ranks, loaded.Model!.Ranks);
        Assert.Equal("0123456789abcdef", loaded.Spec!.TrainedOn);
        foreach (string text in TokenizationSamples.Corpus(20, seed: 99))
            Assert.Equal(direct.Encode(text, SpecialTokenPolicy.Allowed), loaded.Encode(text, SpecialTokenPolicy.Allowed));
    }

    [Fact]
    public void Microsoft_ml_tokenizers_encodes_a_trained_folder_exactly_as_the_learned_merges_do()
    {
        var result = TokenizationSamples.Small;
        var tokenizer = TokenizerFolder.Load(SavedSmall());
        var regex = new Regex(result.Model.Pattern);
        var random = new Random(11);
        var texts = TokenizationSamples.Corpus(100, seed: 42).Concat(Enumerable.Range(0, 100).Select(_ => TokenizationSamples.RandomUnicode(random)));

        foreach (string text in texts)
        {
            var expected = regex.Matches(text).SelectMany(m => ReferenceBpe(Encoding.UTF8.GetBytes(m.Value), result.Merges));
            Assert.Equal(expected, tokenizer.Encode(text));
        }
    }

    /// <summary>BPE as the merges define it: repeatedly apply the earliest-learned merge present in the chunk.</summary>
    static List<int> ReferenceBpe(byte[] chunk, IReadOnlyList<BpeMerge> merges)
    {
        var order = new Dictionary<(int, int), int>();
        for (int i = 0; i < merges.Count; i++)
            order.TryAdd((merges[i].Left, merges[i].Right), i);
        var symbols = chunk.Select(b => (int)b).ToList();
        while (true)
        {
            int best = -1, bestOrder = int.MaxValue;
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                if (order.TryGetValue((symbols[i], symbols[i + 1]), out int o) && o < bestOrder)
                    (best, bestOrder) = (i, o);
            }
            if (best < 0)
                return symbols;
            var merge = merges[bestOrder];
            var next = new List<int>();
            for (int i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i] == merge.Left && symbols[i + 1] == merge.Right)
                {
                    next.Add(merge.Result);
                    i++;
                }
                else
                {
                    next.Add(symbols[i]);
                }
            }
            symbols = next;
        }
    }

    [Fact]
    public void A_broken_ranks_file_is_reported_with_its_file_and_line()
    {
        string folder = SavedSmall();
        string ranks = Path.Combine(folder, TokenizerFolder.RanksFileName);
        string[] lines = File.ReadAllLines(ranks);

        File.WriteAllLines(ranks, lines.Select((l, i) => i == 299 ? "not-base64! 299" : l));
        var error = Assert.Throws<InvalidDataException>(() => TokenizerFolder.Load(folder));
        Assert.Contains($"{ranks} line 300", error.Message, StringComparison.Ordinal);

        File.WriteAllLines(ranks, lines.Select((l, i) => i == 9 ? l.Replace(" 9", " 10", StringComparison.Ordinal) : l));
        error = Assert.Throws<InvalidDataException>(() => TokenizerFolder.Load(folder));
        Assert.Contains($"{ranks} line 10: rank 10, expected 9", error.Message, StringComparison.Ordinal);

        File.WriteAllLines(ranks, lines.Take(500));
        error = Assert.Throws<InvalidDataException>(() => TokenizerFolder.Load(folder));
        Assert.Contains("500 tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_spec_is_reported_with_its_file_and_line()
    {
        string folder = SavedSmall();
        string spec = Path.Combine(folder, TokenizerFolder.SpecFileName);
        string text = File.ReadAllText(spec);

        File.WriteAllText(spec, text.Replace("\"vocab_size\": 600", "\"vocab_size\": oops", StringComparison.Ordinal));
        var error = Assert.Throws<InvalidDataException>(() => TokenizerFolder.Load(folder));
        Assert.Matches($"{Regex.Escape(spec)} line [0-9]+: not a tokenizer spec", error.Message);

        File.WriteAllText(spec, text.Replace("\"vocab_size\": 600", "\"vocab_size\": 601", StringComparison.Ordinal));
        error = Assert.Throws<InvalidDataException>(() => TokenizerFolder.Load(folder));
        Assert.Contains("first gap: 600", error.Message, StringComparison.Ordinal);

        File.WriteAllText(spec, text.Replace("llmops-tiktoken-bpe", "other", StringComparison.Ordinal));
        error = Assert.Throws<InvalidDataException>(() => TokenizerFolder.Load(folder));
        Assert.Contains("format is 'other'", error.Message, StringComparison.Ordinal);
    }
}
