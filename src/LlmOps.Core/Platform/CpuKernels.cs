using System.Globalization;

namespace LlmOps.Core.Platform;

/// <summary>
/// Which vector instructions this CPU has and which kernel path libtorch takes with them. Hosts of one kind give the
/// same bits run to run; AVX-512 and AVX2-only hosts differ in the last bits, which training amplifies (see
/// "Reproducibility" in docs/architecture.md), so the report says which kind this is and whether the path is pinned.
/// </summary>
/// <param name="Avx2">The CPU has AVX2 (and FMA).</param>
/// <param name="Avx512">The CPU has the AVX-512 subsets ATen's avx512 kernels need (F, BW, VL, DQ).</param>
/// <param name="Avx512Bf16">The CPU has bf16 dot products (avx512_bf16): without them bf16 passes run far slower than fp32.</param>
/// <param name="AtenCapability">ATen's kernel path: <c>ATEN_CPU_CAPABILITY</c> when set, else the best the CPU allows.</param>
/// <param name="Pinned">The kernel path is capped by the environment (<c>ATEN_CPU_CAPABILITY</c> or <c>ONEDNN_MAX_CPU_ISA</c>).</param>
public sealed record CpuKernels(bool Avx2, bool Avx512, bool Avx512Bf16, string AtenCapability, bool Pinned)
{
    static readonly string[] AtenAvx512Flags = ["avx512f", "avx512bw", "avx512vl", "avx512dq"];

    /// <summary>Reads the CPU's flags (Linux's <c>/proc/cpuinfo</c>; elsewhere .NET's intrinsics checks) and the
    /// environment's pins.</summary>
    public static CpuKernels Detect()
    {
        var flags = ReadFlags();
        bool avx2 = flags?.Contains("avx2") ?? System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        bool avx512 = flags is null
            ? System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.X86.Avx512BW.IsSupported
                && System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported && System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported
            : AtenAvx512Flags.All(flags.Contains);
        bool bf16 = flags?.Contains("avx512_bf16") ?? false;
        string? aten = Environment.GetEnvironmentVariable("ATEN_CPU_CAPABILITY");
        string? onednn = Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA");
        string capability = aten is { Length: > 0 } ? aten.ToLowerInvariant() : avx512 ? "avx512" : avx2 ? "avx2" : "default";
        return new CpuKernels(avx2, avx512, bf16, capability, aten is { Length: > 0 } || onednn is { Length: > 0 });
    }

    /// <summary>One line for reports: the kind of host and the path taken.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Avx512 ? "AVX-512" : Avx2 ? "AVX2" : "no AVX2")}{(Avx512Bf16 ? " + bf16" : "")} CPU; ATen kernels {AtenCapability}{(Pinned ? " (pinned by the environment)" : "")}");

    static HashSet<string>? ReadFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
            return null;
        foreach (string line in File.ReadLines(cpuinfo))
        {
            if (line.StartsWith("flags", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                return [.. line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        return null;
    }
}
