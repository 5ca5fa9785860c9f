using System.Globalization;
using LlmOps.Core.Modeling;

namespace LlmOps.Core.Display;

/// <summary>The modelling stage's records as tables and text, for the console and text/plain; HTML forms can be
/// built from the same tables.</summary>
public static class ModelText
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One row per parameter tensor of <paramref name="summary"/>, titled with its shape and totals.</summary>
    public static TextTable Table(GptSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var c = summary.Config;
        string title = string.Create(Invariant,
            $"GPT: {c.Layers} layers, {c.Heads} heads, {c.EmbeddingSize} wide, context {c.BlockSize}, vocabulary {c.VocabSize:N0}, {c.Positions} positions{(c.TiedEmbeddings ? ", tied embeddings" : "")}");
        return new TextTable(title, ["layer", "shape", "parameters", "note"],
            [.. summary.Rows.Select(r => new[] { r.Name, string.Join("x", r.Shape), r.Parameters.ToString("N0", Invariant), r.Note ?? "" })]);
    }

    /// <summary>The table followed by the totals: parameters, non-embedding parameters, training FLOPs per token.</summary>
    public static string Render(GptSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Table(summary).ToText() + string.Create(Invariant,
            $"parameters {summary.Parameters:N0} ({summary.Parameters / 1e6:F2}M); non-embedding {summary.NonEmbeddingParameters:N0}; " +
            $"training FLOPs/token {summary.FlopsPerToken:E3}\n");
    }

}
