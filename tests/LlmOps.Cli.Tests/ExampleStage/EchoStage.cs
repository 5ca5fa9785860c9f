using System.Net;
using LlmOps.Core.Display;
using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Stages;

namespace LlmOps.Cli.Tests.ExampleStage;

/// <summary>A tiny stage, declared the way every real stage is (Stages/*/XStage.cs): one command that is both the
/// <c>#!echo</c> magic and the <c>llmops echo</c> verb, and a renderer for its result.</summary>
public static class EchoStage
{
    /// <summary>The stage's declaration.</summary>
    public static Stage Declaration { get; } = new("echo", "Say something, several times",
    [
        new MagicCommand("echo", "Say a text several times",
            [
                new("text", "what to say", Positional: true, Required: true),
                new("times", "how often", MagicParameterKind.WholeNumber, Default: "2"),
            ],
            invocation =>
            {
                invocation.Display.Show(new Echo(invocation.Get<string>("text"), invocation.Get<int>("times")));
                return Task.CompletedTask;
            },
            Cli: "echo"),
    ],
    [
        Renderer.For<Echo>(e => string.Join(" ", Enumerable.Repeat(e.Text, e.Times)),
            (e, _) => $"<b class=\"echo\">{WebUtility.HtmlEncode(string.Join(" ", Enumerable.Repeat(e.Text, e.Times)))}</b>",
            e => [new TextTable("echo", ["time", "text"], [.. Enumerable.Range(1, e.Times).Select(i => new[] { $"{i}", e.Text })])]),
    ]);
}
