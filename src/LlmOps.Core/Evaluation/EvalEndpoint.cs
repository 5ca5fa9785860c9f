using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmOps.Core.Evaluation;

/// <summary>An OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp's server, Ollama, LM Studio ...): a model under
/// test or a judge. Its client retries timeouts, 5xx and 429 answers with exponential backoff
/// (<see cref="RetryingChatClient"/>) and then fails with <see cref="EndpointFailedException"/>, which the runner
/// records against the item.</summary>
/// <param name="BaseUrl">The API's base URL, the part before <c>/chat/completions</c> (e.g. <c>http://localhost:8000/v1</c>).</param>
/// <param name="Model">The model name the endpoint serves.</param>
/// <param name="ApiKeyVariable">The environment variable holding the API key (never the key itself, so suites and
/// command lines can be shared); null for servers that need none.</param>
/// <param name="TimeoutSeconds">How long one attempt may take.</param>
/// <param name="Retries">Attempts after the first for a timeout, a 5xx or a 429.</param>
/// <param name="RetryDelaySeconds">The first backoff; each retry waits twice the one before (no jitter, so a run's
/// timing is reproducible).</param>
public sealed record EvalEndpoint(
    [property: JsonRequired] Uri BaseUrl,
    [property: JsonRequired] string Model,
    string? ApiKeyVariable = null,
    double TimeoutSeconds = 60,
    int Retries = 3,
    double RetryDelaySeconds = 1)
{
    /// <summary>What the per-item cache keys this endpoint's answers by: URL and model.</summary>
    public string Identity => $"{BaseUrl.AbsoluteUri.TrimEnd('/')} {Model}";

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that cannot work.</summary>
    public EvalEndpoint Validate()
    {
        if (!BaseUrl.IsAbsoluteUri || BaseUrl.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Endpoint URL '{BaseUrl}' must be an absolute http(s) URL.");
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException($"Endpoint {BaseUrl} needs a model name.");
        if (!(TimeoutSeconds > 0))
            throw new ArgumentException($"Endpoint timeout must be above 0 seconds, not {TimeoutSeconds}.");
        if (Retries < 0)
            throw new ArgumentException($"Endpoint retries must be 0 or more, not {Retries}.");
        if (!(RetryDelaySeconds >= 0))
            throw new ArgumentException($"Endpoint retry delay must be 0 or more seconds, not {RetryDelaySeconds}.");
        return this;
    }

    /// <summary>A chat client for the endpoint, wrapped in <see cref="RetryingChatClient"/>; the caller disposes it.</summary>
    /// <exception cref="ArgumentException">A setting that cannot work, or an API key variable that is named but not set.</exception>
    public IChatClient CreateChatClient()
    {
        Validate();
        string key = "none"; // The SDK insists on a key; local servers ignore it.
        if (ApiKeyVariable is { Length: > 0 } variable)
            key = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                ? value
                : throw new ArgumentException($"Endpoint {BaseUrl}: environment variable {variable} (the API key) is not set.");
        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        var options = new OpenAIClientOptions
        {
            Endpoint = BaseUrl,
            // One retry policy, ours: the SDK's own would retry 5xx answers again inside each of our attempts.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Our per-attempt timeout must fire first, so a slow answer is a retried timeout, not the SDK's error.
            NetworkTimeout = timeout * 2 + TimeSpan.FromSeconds(1),
        };
        var chat = new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(Model).AsIChatClient();
        return new RetryingChatClient(chat, Retries, timeout, TimeSpan.FromSeconds(RetryDelaySeconds), Identity);
    }
}
