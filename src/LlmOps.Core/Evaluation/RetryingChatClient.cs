using System.ClientModel;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LlmOps.Core.Evaluation;

/// <summary>Wraps a chat client with a Polly pipeline: each attempt gets a timeout; timeouts, 5xx and 429 answers and
/// failed connections are retried with exponential backoff (base delay, doubling, no jitter); after the last retry
/// the failure surfaces as <see cref="EndpointFailedException"/>. Other failures (a 401, a 400) are not transient and
/// pass through at once. Streaming passes through without retries (a half-streamed answer cannot be replayed).</summary>
public sealed class RetryingChatClient : DelegatingChatClient
{
    readonly ResiliencePipeline pipeline;
    readonly int attempts;
    readonly string name;

    /// <summary>Wraps <paramref name="inner"/> (disposed with this client).</summary>
    /// <param name="inner">The client to retry.</param>
    /// <param name="retries">Attempts after the first.</param>
    /// <param name="timeout">How long one attempt may take.</param>
    /// <param name="baseDelay">The first backoff; retry n waits baseDelay * 2^(n-1).</param>
    /// <param name="name">Names the endpoint in failure messages.</param>
    public RetryingChatClient(IChatClient inner, int retries, TimeSpan timeout, TimeSpan baseDelay, string name) : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        var builder = new ResiliencePipelineBuilder();
        if (retries > 0)
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = baseDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            });
        pipeline = builder.AddTimeout(timeout).Build();
        attempts = retries + 1;
        this.name = name;
    }

    /// <summary>Whether a failure is worth another attempt: a timeout, a refused or broken connection, a 5xx or a 429.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutRejectedException or HttpRequestException => true,
        // Status 0: no answer at all (the connection failed inside the SDK's transport).
        ClientResultException e => e.Status is 0 or 408 or 429 or >= 500,
        _ => false,
    };

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // Materialised once: every attempt sends the same messages.
        var list = messages.ToList();
        try
        {
            return await pipeline.ExecuteAsync(
                async token => await base.GetResponseAsync(list, options, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new EndpointFailedException($"{name}: failed {attempts} time(s), last: {Describe(e)}", e);
        }
    }

    static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException t => $"no answer within {t.Timeout.TotalSeconds:0.###} s",
        ClientResultException { Status: > 0 } c => $"HTTP {c.Status}: {c.Message.Split('\n')[0]}",
        _ => e.Message,
    };
}
