using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Core.Datasets;

namespace LlmOps.Core.Tests.Data.Cleaning;

/// <summary>The SpamAssassin emails as documents. Its email-files format has no reader in Core yet: each group folder
/// (easy-ham-1, spam-2, ...) under data/ holds one JSON record per email with the raw message in "text".</summary>
static class SpamAssassin
{
    public static IEnumerable<Document> Read(FetchedDataset fetched) =>
        fetched.DataFiles
            .Where(file => file.EndsWith(".json", StringComparison.Ordinal) && Path.GetFileName(Path.GetDirectoryName(file)) != "data")
            .Select(file =>
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                string group = json.RootElement.GetProperty("group").GetString()!;
                return new Document($"{group}/{Path.GetFileName(file)}", json.RootElement.GetProperty("text").GetString()!, "spam-assassin",
                    new Dictionary<string, string> { ["group"] = group });
            });
}
