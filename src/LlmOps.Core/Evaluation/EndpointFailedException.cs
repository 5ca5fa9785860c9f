namespace LlmOps.Core.Evaluation;

/// <summary>An endpoint kept failing (timeouts, 5xx or 429 answers, refused connections) through every retry; the
/// runner records it against the item as an error, never as a wrong answer.</summary>
public sealed class EndpointFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EndpointFailedException() : this("The endpoint failed.") { }

    /// <summary>Creates the exception with a message.</summary>
    public EndpointFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the last attempt's failure.</summary>
    public EndpointFailedException(string message, Exception inner) : base(message, inner) { }
}
