namespace LlmOps.Interactive.Engine.Tests.Runner;

/// <summary>The xunit collection of tests that run notebooks in this process: they run one at a time, because a
/// notebook's seeded results depend on libtorch's process-wide random generator (a hand-written training loop is
/// checked against the library's with the same seed), which a notebook running alongside would draw from.</summary>
static class HeadlessNotebooks
{
    public const string Name = "headless notebooks";
}
