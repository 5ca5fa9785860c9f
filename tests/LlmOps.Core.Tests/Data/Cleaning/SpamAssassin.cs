using System.Text;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;

namespace LlmOps.Core.Tests.Data.Cleaning;

/// <summary>The SpamAssassin emails as raw messages, headers included (where addresses and IPs are densest), read as
/// Latin-1 so every byte maps to one character whatever the message's charset.</summary>
static class SpamAssassin
{
    public static IEnumerable<Document> Read(FetchedDataset fetched) =>
        fetched.DataFiles.Select(file => new Document(
            $"{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}", File.ReadAllText(file, Encoding.Latin1), "spam-assassin"));
}
