using System.Reflection;

namespace LlmOps.Tests;

/// <summary>Where things are in the checkout the tests run from.</summary>
static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Debug or Release), so sibling outputs are found.</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The build output of another project in the repo, for the same configuration.</summary>
    public static string Output(string projectFolder, string file, string framework = "net10.0") =>
        Path([.. projectFolder.Split('/'), "bin", Configuration, framework, file]);

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempFolder(string prefix)
    {
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "LlmOps.Notebooks.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No LlmOps.Notebooks.sln above {AppContext.BaseDirectory}.");
    }
}
