using System.Runtime.InteropServices;
using LlmOps.Core.Platform;
using TorchSharp;

// Prints what the runtime route did and the result of a real tensor op; on failure prints why the native
// loader refused the shim, so a test can tell "the fix was needed" from "something else broke".
try
{
    var report = TorchRuntime.EnsureInitialized();
    Console.WriteLine($"route={report.Route}");
    using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
    using var product = a.matmul(a.T);
    Console.WriteLine($"result={product.sum().item<float>()}");
    return 0;
}
catch (Exception e)
{
    Console.WriteLine($"error={e.GetType().Name}: {e.Message.Split('\n')[0]}");
    string shim = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    if (File.Exists(shim) && !NativeLibrary.TryLoad(Path.Combine(Path.GetDirectoryName(shim)!, "libtorch_cpu.so"), out _))
        Console.WriteLine("loader=could not preload libtorch_cpu.so");
    try
    {
        NativeLibrary.Load(shim);
    }
    catch (DllNotFoundException loader)
    {
        Console.WriteLine($"loader={loader.Message}");
    }
    return 3;
}
