namespace LlmOps.Cli.Tests.ExampleStage;

/// <summary>The example stage's result: a text said some number of times.</summary>
/// <param name="Text">What was said.</param>
/// <param name="Times">How often.</param>
public sealed record Echo(string Text, int Times);
