using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using LlmOps.Core.Modeling;
using LlmOps.Core.Platform;
using LlmOps.Core.Tokenization;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace LlmOps.Core.Chat;

/// <summary>
/// One of our models as a Microsoft.Extensions.AI <see cref="IChatClient"/>, in-process: a <see cref="Gpt"/>, its
/// <see cref="LlmTokenizer"/> and a <see cref="ChatTemplate"/>. Anything written against <c>IChatClient</c> (Semantic
/// Kernel via <c>AsChatCompletionService</c>, the <c>ChatClientBuilder</c> pipeline with logging, caching, guardrail or
/// metering middlewares, agents) then runs on a local model exactly as it runs on a hosted one.
/// </summary>
/// <remarks>
/// <para>A request renders the conversation with the template (<see cref="ChatOptions.Instructions"/> first, as a
/// system message), encodes it so that message text can never become a control token (<see cref="ChatTemplate.Encode"/>),
/// and continues it with <see cref="Gpt.Generate"/> (KV cache on unless the defaults turn it off). The answer ends
/// at the template's stop strings, the tokenizer's end-of-text token, a caller's stop sequence
/// (<see cref="ChatFinishReason.Stop"/>) or the token limit (<see cref="ChatFinishReason.Length"/>); stop text is
/// never returned. Prompts longer than the model's block are seen through its last-block window.</para>
/// <para>Generation runs on a thread-pool thread, so callers' threads are not blocked, and one request at a time per
/// client: a model is not thread-safe, so concurrent requests queue. Cancellation is honoured between tokens.</para>
/// <para>Usage counts the prompt ids (input) and every token generated for the answer (output), the one that completed
/// a stop string or end marker included, as hosted APIs count it; the stop text itself is never returned.</para>
/// </remarks>
public sealed class LocalChatClient : IChatClient
{
    /// <summary>The provider name in <see cref="ChatClientMetadata"/>, so telemetry and routing can tell local models apart.</summary>
    public const string ProviderName = "llmops-local";

    /// <summary>The key in <see cref="ChatOptions.AdditionalProperties"/> for <see cref="GenerationConfig.RepetitionPenalty"/>
    /// (ChatOptions has frequency and presence penalties, which are a different, OpenAI-specific formula).</summary>
    public const string RepetitionPenaltyKey = "repetition_penalty";

    readonly SemaphoreSlim gate = new(1, 1);
    readonly bool ownsModel;
    readonly int? endOfText;

    /// <summary>A client over a model the caller keeps owning (disposing the client leaves the model alone).</summary>
    /// <param name="model">The model; its vocabulary must cover the tokenizer's.</param>
    /// <param name="tokenizer">The tokenizer the model was trained with.</param>
    /// <param name="template">How conversations become prompts; <see cref="ChatTemplate.For"/> the tokenizer when null.</param>
    /// <param name="defaults">Generation settings that <see cref="ChatOptions"/> override per request; 256 new tokens,
    /// sampling at temperature 1, when null.</param>
    /// <param name="modelId">The model's name in metadata and responses.</param>
    /// <exception cref="ArgumentException">The tokenizer has ids the model has no embedding for, or the template or
    /// defaults are invalid.</exception>
    public LocalChatClient(Gpt model, LlmTokenizer tokenizer, ChatTemplate? template = null, GenerationConfig? defaults = null, string? modelId = null)
        : this(model, tokenizer, template, defaults, modelId, ownsModel: false)
    {
    }

    internal LocalChatClient(Gpt model, LlmTokenizer tokenizer, ChatTemplate? template, GenerationConfig? defaults, string? modelId, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        TorchRuntime.EnsureInitialized();
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException(
                $"Tokenizer {tokenizer.Name} has {tokenizer.VocabSize} ids but the model only {model.Config.VocabSize} embeddings: they do not belong together.", nameof(tokenizer));
        Model = model;
        Tokenizer = tokenizer;
        Template = (template ?? ChatTemplate.For(tokenizer)).Validate();
        Defaults = (defaults ?? new GenerationConfig(MaxNewTokens: 256)).Validate();
        ModelId = string.IsNullOrWhiteSpace(modelId) ? "llmops-gpt" : modelId;
        Metadata = new ChatClientMetadata(ProviderName, providerUri: null, ModelId);
        endOfText = tokenizer.SpecialTokens.TryGetValue(BpeTrainerConfig.EndOfText, out int id) ? id : null;
        this.ownsModel = ownsModel;
    }

    /// <summary>The model that answers.</summary>
    public Gpt Model { get; }

    /// <summary>The model's tokenizer.</summary>
    public LlmTokenizer Tokenizer { get; }

    /// <summary>How conversations become prompts.</summary>
    public ChatTemplate Template { get; }

    /// <summary>Generation settings used where a request's <see cref="ChatOptions"/> say nothing.</summary>
    public GenerationConfig Defaults { get; }

    /// <summary>The model's name in responses and metadata (a checkpoint's folder name by default).</summary>
    public string ModelId { get; }

    /// <summary>What <see cref="GetService"/> returns for <see cref="ChatClientMetadata"/>.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <summary>
    /// Loads a checkpoint (<see cref="GptCheckpoint"/>) and the tokenizer its metadata names, and serves them; the
    /// client owns the loaded model and frees it on <see cref="Dispose"/>.
    /// </summary>
    /// <param name="folder">The checkpoint folder; its name becomes the model id.</param>
    /// <param name="tokenizers">Where tokenizer names are looked up (a registry over <see cref="TokenizerRegistry.DefaultRoot"/> when null).</param>
    /// <param name="tokenizerName">Overrides the tokenizer the checkpoint names (needed when it names none).</param>
    /// <param name="template">As in the constructor.</param>
    /// <param name="defaults">As in the constructor.</param>
    /// <param name="device">Where the model runs; the CPU when null.</param>
    /// <exception cref="InvalidDataException">The checkpoint is invalid or names no tokenizer and none was given.</exception>
    /// <exception cref="KeyNotFoundException">The tokenizer is not in the registry.</exception>
    public static LocalChatClient FromCheckpoint(string folder, TokenizerRegistry? tokenizers = null, string? tokenizerName = null,
        ChatTemplate? template = null, GenerationConfig? defaults = null, Device? device = null)
    {
        var loaded = GptCheckpoint.Load(folder, device);
        try
        {
            string name = tokenizerName ?? loaded.Metadata.Tokenizer
                ?? throw new InvalidDataException($"Checkpoint {loaded.Folder} does not name its tokenizer ({GptCheckpoint.ConfigFile} has no \"tokenizer\"); pass tokenizerName.");
            var tokenizer = (tokenizers ?? new TokenizerRegistry()).Get(name);
            string modelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(loaded.Folder));
            return new LocalChatClient(loaded.Model, tokenizer, template, defaults, modelId, ownsModel: true);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>The generation settings a request runs with: <see cref="Defaults"/> overridden by
    /// <paramref name="options"/> (<see cref="ChatOptions.Temperature"/>, <see cref="ChatOptions.TopP"/>,
    /// <see cref="ChatOptions.TopK"/>, <see cref="ChatOptions.MaxOutputTokens"/>, <see cref="ChatOptions.Seed"/> and
    /// <see cref="RepetitionPenaltyKey"/>). Where the answer stops is <see cref="StopStrings"/>.</summary>
    /// <remarks>Frequency and presence penalties, tools and response formats have no counterpart in a local GPT and are
    /// ignored. A seed outside the 32-bit range is folded into it (high half XOR low half).</remarks>
    /// <exception cref="ArgumentException">A setting is out of range (the message lists them).</exception>
    public GenerationConfig ToGenerationConfig(ChatOptions? options)
    {
        var config = Defaults;
        double repetitionPenalty = config.RepetitionPenalty;
        if (options?.AdditionalProperties?.TryGetValue(RepetitionPenaltyKey, out double penalty) == true)
            repetitionPenalty = penalty;
        return (config with
        {
            MaxNewTokens = options?.MaxOutputTokens ?? config.MaxNewTokens,
            Temperature = options?.Temperature ?? config.Temperature,
            TopP = options?.TopP ?? config.TopP,
            TopK = options?.TopK ?? config.TopK,
            Seed = options?.Seed is { } seed ? FoldSeed(seed) : config.Seed,
            RepetitionPenalty = repetitionPenalty,
        }).Validate();
    }

    /// <summary>The text that ends a request's answer, cut character-exact on the decoded text and never returned: the
    /// template's stop strings, the caller's <see cref="ChatOptions.StopSequences"/> and the tokenizer's end-of-text
    /// token (as text: a special token decodes to its text, so one text match covers the token and the same characters
    /// written out).</summary>
    /// <exception cref="ArgumentException">A stop sequence is empty.</exception>
    public IReadOnlyList<string> StopStrings(ChatOptions? options)
    {
        var stops = Template.StopStrings.Concat(options?.StopSequences ?? [])
            .Concat(endOfText is null ? [] : [BpeTrainerConfig.EndOfText])
            .Distinct(StringComparer.Ordinal).ToList();
        return stops.Any(string.IsNullOrEmpty) ? throw new ArgumentException("A stop sequence must not be empty.", nameof(options)) : stops;
    }

    /// <summary>The prompt ids a request sends to the model: <see cref="ChatOptions.Instructions"/> (if any) as a
    /// leading system message, then <paramref name="messages"/>, through <see cref="ChatTemplate.Encode"/>. An empty
    /// prompt becomes the end-of-text token, as GPT-2 starts unconditional text.</summary>
    /// <exception cref="ArgumentException">The prompt is empty and the tokenizer has no end-of-text token.</exception>
    public int[] EncodePrompt(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = string.IsNullOrEmpty(options?.Instructions)
            ? messages
            : messages.Prepend(new ChatMessage(ChatRole.System, options.Instructions));
        int[] ids = Template.Encode(conversation, Tokenizer);
        if (ids.Length > 0)
            return ids;
        return endOfText is { } eot
            ? [eot]
            : throw new ArgumentException($"The conversation renders to no tokens with the {Template.Name} template, and {Tokenizer.Name} has no {BpeTrainerConfig.EndOfText} to start from.", nameof(messages));
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int[] prompt = EncodePrompt(messages, options);
        var config = ToGenerationConfig(options);
        var stops = StopStrings(options);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var text = new StringBuilder();
            var outcome = await Task.Run(() => Run(prompt, config, stops, piece => text.Append(piece), cancellationToken), cancellationToken).ConfigureAwait(false);
            string responseId = NewId();
            var message = new ChatMessage(ChatRole.Assistant, text.ToString()) { MessageId = responseId, CreatedAt = DateTimeOffset.UtcNow };
            return new ChatResponse(message)
            {
                ResponseId = responseId,
                ModelId = ModelId,
                CreatedAt = message.CreatedAt,
                FinishReason = outcome.FinishReason,
                Usage = Usage(prompt.Length, outcome.OutputTokens),
            };
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Each update carries the text the latest tokens completed (never half a character); the last one carries
    /// the finish reason and a <see cref="UsageContent"/>. Leaving the enumeration early stops generation.</remarks>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int[] prompt = EncodePrompt(messages, options);
        var config = ToGenerationConfig(options);
        var stops = StopStrings(options);
        string responseId = NewId();
        var createdAt = DateTimeOffset.UtcNow;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var producer = Task.Run(() =>
            {
                try
                {
                    var outcome = Run(prompt, config, stops, piece => pieces.Writer.TryWrite(piece), stop.Token);
                    pieces.Writer.TryComplete();
                    return outcome;
                }
                catch (Exception e)
                {
                    pieces.Writer.TryComplete(e);
                    throw;
                }
            }, CancellationToken.None);
            try
            {
                await foreach (string piece in pieces.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    cancellationToken.ThrowIfCancellationRequested(); // pieces already buffered are not handed out after a cancel
                    yield return Update(new ChatResponseUpdate(ChatRole.Assistant, piece));
                }
            }
            finally
            {
                // The consumer stopped or failed: stop generating, and wait so the model is idle before the next request.
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAny(producer).ConfigureAwait(false);
                _ = producer.Exception; // observed: a cancelled run's exception reached the reader through the channel
            }
            var done = await producer.ConfigureAwait(false);
            yield return Update(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(prompt.Length, done.OutputTokens))])
            {
                FinishReason = done.FinishReason,
            });
        }
        finally
        {
            gate.Release();
        }

        ChatResponseUpdate Update(ChatResponseUpdate update)
        {
            update.ResponseId = responseId;
            update.MessageId = responseId;
            update.ModelId = ModelId;
            update.CreatedAt = createdAt;
            return update;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Besides <see cref="ChatClientMetadata"/> and the client itself, hands out the <see cref="Gpt"/>, the
    /// <see cref="LlmTokenizer"/> and the <see cref="ChatTemplate"/>, so a middleware can, say, count tokens exactly.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return Metadata;
        foreach (object service in new object[] { this, Model, Tokenizer, Template })
        {
            if (serviceType.IsInstanceOfType(service))
                return service;
        }
        return null;
    }

    /// <summary>Frees the model if this client loaded it (<see cref="FromCheckpoint"/>); a model passed in stays the caller's.
    /// Dispose only once no request is running.</summary>
    public void Dispose()
    {
        if (ownsModel)
            Model.Dispose();
        gate.Dispose();
    }

    /// <summary>Generates on the calling thread, handing each completed piece of text to <paramref name="onText"/>. Stop
    /// strings are matched here, on the decoded text, so the answer is cut exactly where a stop string begins (the
    /// model stops at token boundaries); token-id stops of the defaults stay with <see cref="Gpt.Generate"/>.</summary>
    internal (int OutputTokens, ChatFinishReason FinishReason) Run(int[] prompt, GenerationConfig config, IReadOnlyList<string> stopStrings,
        Action<string> onText, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var decoder = new Utf8TokenDecoder(Tokenizer);
        var stops = new StopStringFilter(stopStrings);
        int tokens = 0;
        foreach (int token in Model.Generate(prompt, config))
        {
            cancellationToken.ThrowIfCancellationRequested();
            tokens++;
            Emit(stops.Add(decoder.Add(token)));
            if (stops.Stopped)
                return (tokens, ChatFinishReason.Stop); // leaving the loop ends generation
        }
        Emit(stops.Add(decoder.Flush()));
        Emit(stops.Flush());
        // Generate yields every token it made unless a token-id stop matched (those tokens are withheld), so an
        // answer that used the whole budget ran out of length.
        return (tokens, !stops.Stopped && tokens >= config.MaxNewTokens ? ChatFinishReason.Length : ChatFinishReason.Stop);

        void Emit(string piece)
        {
            if (piece.Length > 0)
                onText(piece);
        }
    }

    static UsageDetails Usage(int input, int output) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };

    static int FoldSeed(long seed) => seed is >= int.MinValue and <= int.MaxValue ? (int)seed : (int)(seed ^ (seed >> 32));

    static string NewId() => "chat-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
}
