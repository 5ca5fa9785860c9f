namespace LlmOps.Tests;

/// <summary>Debian's Chromium, headless, for tests that look at rendered HTML the way a person would.</summary>
static class Chromium
{
    const string Executable = "/usr/bin/chromium";

    static IEnumerable<string> Flags(string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--hide-scrollbars", $"--user-data-dir={profile}",
        "--virtual-time-budget=10000",
    ];

    /// <summary>The page's DOM after its scripts ran.</summary>
    public static async Task<string> DumpDomAsync(string htmlPath)
    {
        var result = await RunAsync(["--dump-dom", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri]);
        return result.Output;
    }

    /// <summary>A PNG screenshot of the page at the given window size.</summary>
    public static async Task ScreenshotAsync(string htmlPath, string pngPath, int width, int height)
    {
        var result = await RunAsync([$"--screenshot={Path.GetFullPath(pngPath)}", $"--window-size={width},{height}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri]);
        if (!File.Exists(pngPath))
            throw new InvalidOperationException($"chromium wrote no screenshot:\n{result.Output}");
    }

    static async Task<ProcessRunner.Result> RunAsync(IEnumerable<string> arguments)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium (tests/run.sh does).");
        string profile = RepoPaths.NewTempFolder("llmops-chromium");
        try
        {
            return await ProcessRunner.RunAsync(Executable, [.. Flags(profile), .. arguments], timeoutSeconds: 120);
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
