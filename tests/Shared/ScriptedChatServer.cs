using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmOps.Tests;

/// <summary>What the scripted server answers one request with: a completion, an HTTP error, or silence for a while
/// (a timeout seen from a client with a shorter one).</summary>
sealed record ScriptedReply(string? Text, int Status = 200, TimeSpan Delay = default)
{
    public static ScriptedReply Answer(string text) => new(text);

    public static ScriptedReply Fail(int status) => new(null, status);

    public static ScriptedReply Hang(TimeSpan delay) => new(null, 200, delay);
}

/// <summary>One chat request as the server read it.</summary>
sealed record ScriptedRequest(string Model, IReadOnlyList<(string Role, string Content)> Messages)
{
    /// <summary>The last user message.</summary>
    public string User => Messages.Last(m => m.Role == "user").Content;

    /// <summary>The system message, or "".</summary>
    public string System => Messages.FirstOrDefault(m => m.Role == "system").Content ?? "";
}

/// <summary>A small OpenAI-compatible server on 127.0.0.1 for tests: POST /v1/chat/completions is answered by a script
/// given the request and how many times the same user message has been asked (1 for the first), so a test can fail
/// an item's first calls and count what the client asked.</summary>
sealed class ScriptedChatServer : IAsyncDisposable
{
    readonly HttpListener listener;
    readonly Func<ScriptedRequest, int, ScriptedReply> script;
    readonly ConcurrentDictionary<string, int> perPrompt = new(StringComparer.Ordinal);
    readonly CancellationTokenSource stopping = new();
    readonly Task loop;
    int calls;

    public ScriptedChatServer(Func<ScriptedRequest, int, ScriptedReply> script)
    {
        this.script = script;
        (listener, int port) = Listen();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/v1/");
        loop = Task.Run(LoopAsync);
    }

    /// <summary>A server answering each user message from <paramref name="answers"/> (exact text; unknown ones get "?").</summary>
    public static ScriptedChatServer Answering(IReadOnlyDictionary<string, string> answers) =>
        new((request, _) => ScriptedReply.Answer(answers.GetValueOrDefault(request.User, "?")));

    /// <summary>The API base the OpenAI client is given (…/v1/).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Every request received.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Requests received whose last user message was <paramref name="prompt"/>.</summary>
    public int CallsFor(string prompt) => perPrompt.GetValueOrDefault(prompt);

    /// <summary>Exceptions the script or the request parsing threw (a test asserts there are none when it matters).</summary>
    public ConcurrentBag<Exception> Faults { get; } = [];

    /// <summary>Runs before each answer is sent (after counting), e.g. to cancel the client midway.</summary>
    public Action<ScriptedRequest, int>? OnRequest { get; set; }

    // HttpListener cannot bind port 0: ask the OS for a free port, then take it (retried if someone else did first).
    static (HttpListener, int) Listen()
    {
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    async Task LoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/v1/chat/completions")
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false))!;
            var messages = body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), Content(m["content"]))).ToList();
            var request = new ScriptedRequest(body["model"]?.GetValue<string>() ?? "", messages);
            Interlocked.Increment(ref calls);
            int call = perPrompt.AddOrUpdate(request.User, 1, (_, n) => n + 1);
            OnRequest?.Invoke(request, call);
            var reply = script(request, call);
            if (reply.Delay > TimeSpan.Zero)
                await Task.Delay(reply.Delay, stopping.Token).ConfigureAwait(false);
            response.StatusCode = reply.Status;
            response.ContentType = "application/json";
            string json = reply.Status == 200
                ? JsonSerializer.Serialize(new
                {
                    id = $"chatcmpl-{call}",
                    @object = "chat.completion",
                    created = 0,
                    model = request.Model,
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Text ?? "" }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
                })
                : JsonSerializer.Serialize(new { error = new { message = $"scripted failure {reply.Status}", type = "server_error" } });
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, stopping.Token).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // A client that timed out has gone; its answer has nowhere to go.
            response.Abort();
        }
        catch (Exception e)
        {
            // A broken script or request: kept for the test to see, answered as a server error.
            Faults.Add(e);
            response.Abort();
        }
    }

    static string Content(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Close();
        await loop.ConfigureAwait(false);
        stopping.Dispose();
    }
}
