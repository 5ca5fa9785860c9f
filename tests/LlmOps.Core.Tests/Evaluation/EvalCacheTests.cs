using LlmOps.Core.Data;
using LlmOps.Core.Evaluation;
using LlmOps.Tests;
using static LlmOps.Core.Tests.Evaluation.EndpointEvalTests;

namespace LlmOps.Core.Tests.Evaluation;

/// <summary>The per-item cache against the loopback endpoint: reruns ask nothing, interrupted runs resume, failures are
/// asked again. Each run makes a new <see cref="EvalCache"/> over the same folder, as a new process would.</summary>
public class EvalCacheTests
{
    static readonly Dictionary<string, string> Answers = new()
    {
        ["Capital of France?"] = "Paris",
        ["Capital of Italy?"] = "Rome",
        ["Capital of Spain?"] = "Madrid",
        ["Capital of Japan?"] = "Kyoto",
    };

    /// <summary>The capitals task in a fresh folder and the cache folder beside it.</summary>
    static (EvalTask Task, string CacheFolder) Setup()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-cache");
        return (CapitalsTask(WriteCapitals(folder)), Path.Combine(folder, "cache"));
    }

    /// <summary>A run with a new cache over <paramref name="cacheFolder"/>, as a new process would make.</summary>
    static Task<EvalResult> Run(EvalTask task, EvalModel model, string cacheFolder, CancellationToken cancellationToken = default) =>
        EvalRunner.RunTaskAsync(task, model, new EvalRunOptions(new EvalCache(cacheFolder)), cancellationToken);

    [Fact]
    public async Task A_rerun_is_served_from_the_cache_and_a_changed_request_is_asked_again()
    {
        var (task, cacheFolder) = Setup();
        await using var server = ScriptedChatServer.Answering(Answers);
        using var model = EvalModel.Endpoint(Endpoint(server));

        var first = await Run(task, model, cacheFolder);
        var cache = new EvalCache(cacheFolder);
        var second = await EvalRunner.RunTaskAsync(task, model, new EvalRunOptions(cache));

        Assert.Equal(4, server.Calls);
        Assert.Equal((4, 0), (cache.Hits, cache.Misses));
        Assert.Equal(first.Items.Select(i => i.Output), second.Items.Select(i => i.Output));
        Assert.Equal(0.75, second.Metrics["exact_match"], 12);
        Assert.Equal(4, File.ReadAllLines(cache.FileFor(model.Identity!)).Length);

        // Another token limit is another request: nothing stale is served.
        await Run(task with { Generation = new EvalGeneration(MaxTokens: 8) }, model, cacheFolder);
        Assert.Equal(8, server.Calls);
    }

    [Fact]
    public async Task A_run_cancelled_midway_resumes_asking_only_the_remaining_items()
    {
        var (task, cacheFolder) = Setup();
        await using var server = ScriptedChatServer.Answering(Answers);
        using var model = EvalModel.Endpoint(Endpoint(server));
        using var interrupt = new CancellationTokenSource();
        server.OnRequest = (request, _) =>
        {
            if (request.User == "Capital of Spain?")
                interrupt.Cancel();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Run(task, model, cacheFolder, interrupt.Token));
        Assert.Equal(3, server.Calls);
        server.OnRequest = null;
        var resumed = await Run(task, model, cacheFolder);

        Assert.Equal([1, 1, 2, 1], Answers.Keys.Select(server.CallsFor));
        Assert.Equal(["Paris", "Rome", "Madrid", "Kyoto"], resumed.Items.Select(i => i.Output));
        Assert.Equal(0.75, resumed.Metrics["exact_match"], 12);
    }

    [Fact]
    public async Task Failed_items_are_not_cached_and_are_asked_again()
    {
        var (task, cacheFolder) = Setup();
        bool down = true;
        await using var server = new ScriptedChatServer((request, _) =>
            down && request.User == "Capital of Italy?" ? ScriptedReply.Fail(502) : ScriptedReply.Answer(Answers[request.User]));
        using var model = EvalModel.Endpoint(Endpoint(server, retries: 1));

        var first = await Run(task, model, cacheFolder);
        down = false;
        var second = await Run(task, model, cacheFolder);

        Assert.Equal(1, first.Errors);
        Assert.Equal(0, second.Errors);
        Assert.Equal([1, 3, 1, 1], Answers.Keys.Select(server.CallsFor));
        Assert.Equal("Rome", second.Items[1].Output);
    }

    [Fact]
    public void A_line_cut_short_at_the_end_is_dropped_and_a_broken_line_before_it_names_file_and_line()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-cache");
        var cache = new EvalCache(folder);
        cache.Add("m", "t", 1, "q1", "a1");
        cache.Add("m", "t", 2, "q2", "a2");
        string file = cache.FileFor("m");
        File.AppendAllText(file, """{"Model":"m","Task":"t","Li""");

        var reread = new EvalCache(folder);
        Assert.True(reread.TryGet("m", "t", 2, "q2", out string answer));
        Assert.Equal("a2", answer);
        Assert.False(reread.TryGet("m", "t", 2, "q1", out _));
        reread.Add("m", "t", 3, "q3", "a3");
        Assert.Equal(3, File.ReadAllLines(file).Length);

        File.WriteAllText(file, "not json\n" + File.ReadAllText(file));
        var e = Assert.Throws<DataFormatException>(() => new EvalCache(folder).TryGet("m", "t", 1, "q1", out _));
        Assert.Equal((file, 1L), (e.File, e.Line));
    }
}
