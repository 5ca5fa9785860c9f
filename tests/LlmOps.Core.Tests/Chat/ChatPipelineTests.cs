using LlmOps.Core.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace LlmOps.Core.Tests.Chat;

/// <summary>The point of <see cref="LocalChatClient"/>: .NET AI code written for hosted models runs on ours unchanged.</summary>
[Collection(ChatModelGroup.Name)]
public class ChatPipelineTests(ChatModelFixture fixture)
{
    [Fact]
    public async Task Middlewares_in_a_ChatClientBuilder_pipeline_wrap_the_local_model()
    {
        using var local = fixture.Client();
        UsageMeter? meter = null;
        using var pipeline = new ChatClientBuilder(local)
            .Use(inner => meter = new UsageMeter(inner))
            .ConfigureOptions(options => options.StopSequences ??= ["nan"]) // a default every request gets
            .Build();

        var response = await pipeline.GetResponseAsync(ChatModelFixture.Ask("What is yellow?"));
        Assert.Equal("A ba", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);

        var streamed = await pipeline.GetStreamingResponseAsync(ChatModelFixture.Ask("What is red?")).ToChatResponseAsync();
        Assert.Equal("An apple 🍎.", streamed.Text);

        Assert.Equal(2, meter!.Requests);
        Assert.Equal(response.Usage!.TotalTokenCount + streamed.Usage!.TotalTokenCount, meter.TotalTokens);
        Assert.Equal(LocalChatClient.ProviderName, pipeline.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task Semantic_Kernel_runs_prompts_and_chat_history_on_the_local_model()
    {
        using var local = fixture.Client();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(local.AsChatCompletionService());
        var kernel = builder.Build();

        var result = await kernel.InvokePromptAsync("What is red?");
        Assert.Equal("An apple 🍎.", result.GetValue<string>());

        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage("What is yellow?");
        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);
        Assert.Equal("A banana.", reply.Content);
        Assert.Equal(AuthorRole.Assistant, reply.Role);
    }

    /// <summary>Usage metering as a middleware: it sees every response's usage, streamed or not, from any model.</summary>
    sealed class UsageMeter(IChatClient inner) : DelegatingChatClient(inner)
    {
        public int Requests { get; private set; }

        public long TotalTokens { get; private set; }

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            Record(response.Usage);
            return response;
        }

        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            UsageDetails? usage = null;
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                usage = update.Contents.OfType<UsageContent>().Select(u => u.Details).LastOrDefault() ?? usage;
                yield return update;
            }
            Record(usage);
        }

        void Record(UsageDetails? usage)
        {
            Requests++;
            TotalTokens += usage?.TotalTokenCount ?? 0;
        }
    }
}
