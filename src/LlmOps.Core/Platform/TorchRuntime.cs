using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace LlmOps.Core.Platform;

/// <summary>
/// Makes TorchSharp's native backend loadable before the first <c>torch</c> call. Every Core API that touches
/// TorchSharp calls <see cref="EnsureInitialized"/>; code that uses <c>torch</c> directly (a notebook cell, say)
/// should call it once first. On Debian 12 / Ubuntu 22.04, when the build-time fix did not run (a notebook kernel
/// loading our package from the NuGet cache, a build with the fix turned off), this is the runtime route: patch a
/// private copy of <c>libLibTorchSharp.so</c>, load libtorch by full path from its original folder, load the copy,
/// and point TorchSharp's <c>LibTorchSharp</c> imports at it.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Set to <c>off</c> to skip the runtime route (used by tests to show what happens without it).</summary>
    public const string DisableVariable = "LLMOPS_TORCH_NATIVE_FALLBACK";

    /// <summary>Overrides where patched private copies are kept (default: the user's local application data).</summary>
    public const string CacheVariable = "LLMOPS_NATIVE_CACHE";

    const string ShimFileName = "libLibTorchSharp.so";
    static readonly Lazy<NativeLoadReport> Report = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs the load check once per process and returns what it did.</summary>
    /// <exception cref="InvalidOperationException">The fix was needed but could not be applied; the message says why and where.</exception>
    public static NativeLoadReport EnsureInitialized() => Report.Value;

    static NativeLoadReport Load()
    {
        if (string.Equals(Environment.GetEnvironmentVariable(DisableVariable), "off", StringComparison.OrdinalIgnoreCase))
            return new NativeLoadReport("disabled", $"{DisableVariable}=off", null);

        if (!LibTorchSharpPatch.SystemNeedsPatch(out string reason))
            return new NativeLoadReport("not-needed", reason, null);

        var torchSharp = typeof(torch).Assembly;
        var searched = ShimCandidates(torchSharp).ToList();
        string? shim = searched.FirstOrDefault(File.Exists);
        if (shim == null)
            return new NativeLoadReport("not-found", $"{reason}; no {ShimFileName} in: {string.Join(", ", searched)}", null);

        if (!LibTorchSharpPatch.HasStrongNeed(shim))
            return new NativeLoadReport("patched-at-build", $"{reason}; {shim} already marks it weak", shim);

        string libtorch = FindLibTorchFolder(shim, torchSharp)
            ?? throw new InvalidOperationException(
                $"TorchSharp's {shim} needs {LibTorchSharpPatch.MissingVersion} ({reason}), and no libtorch (libtorch_cpu.so) was found " +
                "next to it or in the NuGet package folder. Reference libtorch-cpu-linux-x64 2.10.0.");

        string copy = PrivateCopy(shim);
        foreach (string dependency in LibTorchLoadOrder(libtorch))
        {
            if (!NativeLibrary.TryLoad(dependency, out _))
                throw new InvalidOperationException($"Could not load {dependency} while preparing TorchSharp's patched shim {copy}.");
        }
        IntPtr handle = NativeLibrary.Load(copy);
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) =>
                name == "LibTorchSharp" || name == ShimFileName ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                "TorchSharp's assembly already has a native library resolver, so the patched shim cannot be installed. " +
                "Call LlmOps.Core.Platform.TorchRuntime.EnsureInitialized() before any other TorchSharp use.", e);
        }
        return new NativeLoadReport("patched-private-copy", $"{reason}; loaded {copy} with libtorch from {libtorch}", copy);
    }

    /// <summary>Where TorchSharp looks for its shim, in the order it looks: build output, then the NuGet package.</summary>
    static IEnumerable<string> ShimCandidates(Assembly torchSharp)
    {
        string assemblyFolder = Path.GetDirectoryName(torchSharp.Location) ?? AppContext.BaseDirectory;
        yield return Path.Combine(assemblyFolder, ShimFileName);
        yield return Path.Combine(assemblyFolder, "runtimes", "linux-x64", "native", ShimFileName);
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", ShimFileName);
        // NuGet cache layout: <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        yield return Path.GetFullPath(Path.Combine(assemblyFolder, "..", "..", "runtimes", "linux-x64", "native", ShimFileName));
    }

    static string? FindLibTorchFolder(string shim, Assembly torchSharp)
    {
        string shimFolder = Path.GetDirectoryName(shim)!;
        if (File.Exists(Path.Combine(shimFolder, "libtorch_cpu.so")))
            return shimFolder;

        // <packages>/torchsharp/<version>/lib/<tfm>/ -> <packages>/libtorch-*-linux-x64/<version>/runtimes/linux-x64/native
        string assemblyFolder = Path.GetDirectoryName(torchSharp.Location) ?? "";
        string packages = Path.GetFullPath(Path.Combine(assemblyFolder, "..", "..", "..", ".."));
        if (!Directory.Exists(packages))
            return null;
        return Directory.GetDirectories(packages, "libtorch-*linux-x64*")
            .SelectMany(Directory.GetDirectories)
            .Select(version => Path.Combine(version, "runtimes", "linux-x64", "native"))
            .Where(native => File.Exists(Path.Combine(native, "libtorch_cpu.so")))
            .OrderByDescending(native => native.Contains("cuda", StringComparison.Ordinal))
            .ThenByDescending(native => native, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>libtorch's libraries in dependency order, so the shim's NEEDED entries resolve to them by soname.</summary>
    static IEnumerable<string> LibTorchLoadOrder(string folder)
    {
        foreach (string gomp in Directory.GetFiles(folder, "libgomp*.so*").OrderBy(f => f, StringComparer.Ordinal))
            yield return gomp;
        foreach (string name in new[] { "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" })
        {
            string path = Path.Combine(folder, name);
            if (File.Exists(path))
                yield return path;
        }
    }

    static string PrivateCopy(string shim)
    {
        var info = new FileInfo(shim);
        string identity = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16].ToLowerInvariant();
        string root = Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "llmops", "native");
        string copy = Path.Combine(root, key, ShimFileName);
        if (!File.Exists(copy) || LibTorchSharpPatch.HasStrongNeed(copy))
            LibTorchSharpPatch.PatchFile(shim, copy);
        return copy;
    }
}
