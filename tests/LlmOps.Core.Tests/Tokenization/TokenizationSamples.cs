using System.Text;
using LlmOps.Core.Tokenization;

namespace LlmOps.Core.Tests.Tokenization;

/// <summary>Seeded corpora, random Unicode and one small trained tokenizer shared by the tokenization tests.</summary>
static class TokenizationSamples
{
    static readonly string[] Words =
    [
        "the", "model", "learns", "tokens", "from", "text", "and", "data", "training", "loss", "falls", "quickly",
        "when", "learning", "rate", "is", "right", "The", "Tokenizer", "merges", "pairs", "of", "bytes", "into",
        "words", "we", "don't", "it's", "they'll", "2024", "3.14", "12345", "naïve", "café", "über", "東京", "データ",
        "🙂", "—", "(", ")", ",", ".", "!", "?", "\n", "\t", "  ",
    ];

    /// <summary>Sentences drawn from a fixed word list with a seeded generator.</summary>
    public static List<string> Corpus(int documents, int seed = 7)
    {
        var random = new Random(seed);
        var texts = new List<string>(documents);
        for (int d = 0; d < documents; d++)
        {
            var text = new StringBuilder();
            int length = random.Next(5, 60);
            for (int w = 0; w < length; w++)
            {
                if (w > 0 && random.Next(4) != 0)
                    text.Append(' ');
                text.Append(Words[random.Next(Words.Length)]);
            }
            texts.Add(text.ToString());
        }
        return texts;
    }

    static readonly Lazy<BpeTrainingResult> SmallTrained = new(() =>
        new BpeTrainer(new BpeTrainerConfig(VocabSize: 600, Name: "small")).Train(Corpus(400)));

    /// <summary>A tokenizer trained on <see cref="Corpus"/> (600 ids), trained once per test run.</summary>
    public static BpeTrainingResult Small => SmallTrained.Value;

    /// <summary>A random string of valid Unicode: ASCII, controls and whitespace, Latin with combining marks, CJK,
    /// Hangul, Arabic, emoji (surrogate pairs, ZWJ sequences, skin tones), noncharacters and special-token text.</summary>
    public static string RandomUnicode(Random random, int maxLength = 40)
    {
        var text = new StringBuilder();
        int length = random.Next(0, maxLength);
        for (int i = 0; i < length; i++)
        {
            switch (random.Next(12))
            {
                case 0: text.Append((char)random.Next(0x20, 0x7F)); break;
                case 1: text.Append((char)random.Next(0x00, 0x20)); break;
                case 2: text.Append(" \t\r\n\u00A0\u2028\u3000"[random.Next(7)]); break;
                case 3: text.Append((char)random.Next(0xC0, 0x250)); break;
                case 4: text.Append('e').Append((char)random.Next(0x300, 0x370)); break;
                case 5: text.Append((char)random.Next(0x4E00, 0xA000)); break;
                case 6: text.Append((char)random.Next(0xAC00, 0xD7A4)); break;
                case 7: text.Append((char)random.Next(0x600, 0x700)); break;
                case 8: text.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF))); break;
                case 9: text.Append("👩\u200D💻").Append(char.ConvertFromUtf32(0x1F3FB + random.Next(5))); break;
                case 10: text.Append(char.ConvertFromUtf32(random.Next(2) == 0 ? 0xFFFF : random.Next(0x10000, 0x110000))); break;
                default: text.Append(random.Next(3) == 0 ? "<|endoftext|>" : "don't 123456 'LL"); break;
            }
        }
        return text.ToString();
    }
}
