namespace LlmOps.Tests;

/// <summary>The official notebook validator: Debian's python3-nbformat, run with Debian's /usr/bin/python3.</summary>
static class NbformatValidator
{
    const string Script = """
        import sys, nbformat
        try:
            nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)
            nbformat.validate(nb)
            print("valid")
        except Exception as e:
            print(f"invalid: {type(e).__name__}: {e}")
        """;

    /// <summary>Validates <paramref name="ipynbPath"/> against the nbformat schema; Errors holds the validator's message.</summary>
    public static async Task<(bool Valid, string Errors)> ValidateAsync(string ipynbPath)
    {
        if (!File.Exists("/usr/bin/python3"))
            throw new InvalidOperationException("/usr/bin/python3 is missing: install python3-nbformat (tests/run.sh does).");
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", Script, ipynbPath]);
        if (result.Output.Contains("No module named 'nbformat'", StringComparison.Ordinal))
            throw new InvalidOperationException("python3-nbformat is not installed (tests/run.sh installs it).");
        return (result.ExitCode == 0 && result.Output.TrimEnd().EndsWith("valid", StringComparison.Ordinal) && !result.Output.Contains("invalid", StringComparison.Ordinal), result.Output);
    }
}
