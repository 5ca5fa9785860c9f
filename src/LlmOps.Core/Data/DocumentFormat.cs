namespace LlmOps.Core.Data;

/// <summary>Which reader <see cref="DocumentSource.Open"/> uses for a path.</summary>
public enum DocumentFormat
{
    /// <summary>Decide by the path: its extension for a file, its contents for a folder (see <see cref="DocumentSource"/>).</summary>
    Auto,
    /// <summary>JSON Lines: one JSON object per line (<see cref="DocumentReader.ReadJsonl"/>).</summary>
    Jsonl,
    /// <summary>CSV with a header row (<see cref="DocumentReader.ReadCsv"/>).</summary>
    Csv,
    /// <summary>Apache Parquet (<see cref="DocumentReader.ReadParquet"/>).</summary>
    Parquet,
    /// <summary>Plain UTF-8 text, one document per file (<see cref="DocumentReader.ReadTextFiles"/>).</summary>
    Text,
    /// <summary>Raw RFC 822 email files, one message per file (<see cref="DocumentReader.ReadEmails"/>).</summary>
    Email,
    /// <summary>One JSON object per file (<see cref="DocumentReader.ReadJsonRecords"/>).</summary>
    JsonRecords,
}
