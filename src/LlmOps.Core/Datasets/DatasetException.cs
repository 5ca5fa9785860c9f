namespace LlmOps.Core.Datasets;

/// <summary>A dataset that cannot be found, fetched or checked. The message names the dataset and what to do.</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public DatasetException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public DatasetException() : base("Dataset error.") { }
}
