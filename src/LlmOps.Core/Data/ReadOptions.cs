namespace LlmOps.Core.Data;

/// <summary>How <see cref="DocumentReader"/> reads records.</summary>
/// <param name="TextField">The field (or CSV column) holding the text.</param>
/// <param name="IdField">The field holding a stable id; null, or absent in a record, means <c>source:line</c> or the file path.</param>
/// <param name="Source">The documents' source name; when null, a JSON record's own <c>source</c> field, else the file or dataset name.</param>
/// <param name="OnBadRecord">Fail on the first bad record (default), or send bad records to <paramref name="Rejects"/>.</param>
/// <param name="Rejects">Where rejected records go; required with <see cref="BadRecordPolicy.Reject"/>.</param>
/// <param name="Format">Which reader <see cref="DocumentSource.Open"/> uses; <see cref="DocumentFormat.Auto"/> decides
/// by the path (the rule is on <see cref="DocumentSource"/>). The format-specific readers ignore it.</param>
public sealed record ReadOptions(
    string TextField = "text",
    string? IdField = "id",
    string? Source = null,
    BadRecordPolicy OnBadRecord = BadRecordPolicy.Fail,
    RejectsWriter? Rejects = null,
    DocumentFormat Format = DocumentFormat.Auto);
