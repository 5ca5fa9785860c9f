namespace LlmOps.Core.Data.Mixing;

/// <summary>
/// Splits a corpus by content hash rather than by position or a random draw: a document's part depends only on its
/// normalised text, so the split is the same whatever the input order, adding documents never moves old ones, and
/// exact duplicates always share a part (no train/test leakage through copies).
/// </summary>
public static class HashSplitter
{
    /// <summary>The part (train, validation or test) <paramref name="document"/> belongs to.</summary>
    /// <param name="document">The document.</param>
    /// <param name="ratios">The shares.</param>
    /// <param name="salt">Changes the assignment wholesale (a different split of the same data).</param>
    public static string Assign(Document document, SplitRatios ratios, string salt = "split")
    {
        ArgumentNullException.ThrowIfNull(document);
        double u = ContentHash.Unit(document.Text, salt);
        return u < ratios.Train ? "train" : u < ratios.Train + ratios.Validation ? "validation" : "test";
    }

    /// <summary>Splits <paramref name="documents"/> by <see cref="Assign"/>.</summary>
    public static DataSplit Split(IEnumerable<Document> documents, SplitRatios? ratios = null, string salt = "split")
    {
        ArgumentNullException.ThrowIfNull(documents);
        ratios = (ratios ?? new SplitRatios()).Checked();
        List<Document> train = [], validation = [], test = [];
        foreach (var document in documents)
        {
            switch (Assign(document, ratios, salt))
            {
                case "train": train.Add(document); break;
                case "validation": validation.Add(document); break;
                default: test.Add(document); break;
            }
        }
        return new DataSplit(train, validation, test);
    }
}
