namespace LlmOps.Core.Data.Mixing;

/// <summary>A corpus split three ways.</summary>
/// <param name="Train">Training documents, in input order.</param>
/// <param name="Validation">Validation documents, in input order.</param>
/// <param name="Test">Test documents, in input order.</param>
public sealed record DataSplit(IReadOnlyList<Document> Train, IReadOnlyList<Document> Validation, IReadOnlyList<Document> Test)
{
    /// <summary>The part named <paramref name="name"/> (train, validation or test).</summary>
    public IReadOnlyList<Document> this[string name] => name switch
    {
        "train" => Train,
        "validation" => Validation,
        "test" => Test,
        _ => throw new ArgumentException($"No split named '{name}'; the parts are train, validation and test.", nameof(name)),
    };
}
