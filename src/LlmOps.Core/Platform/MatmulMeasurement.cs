using System.Diagnostics;
using TorchSharp;

namespace LlmOps.Core.Platform;

/// <summary>A measured fp32 matrix-multiply rate: the practical compute ceiling that utilisation figures are quoted against.</summary>
/// <param name="Size">The square matrices' side.</param>
/// <param name="Iterations">Timed products (after one warm-up).</param>
/// <param name="Seconds">Time for the timed products.</param>
public sealed record MatmulMeasurement(int Size, int Iterations, double Seconds)
{
    /// <summary>Billions of floating-point operations per second (2·n³ per product).</summary>
    public double GFlops => 2.0 * Size * Size * (double)Size * Iterations / Seconds / 1e9;

    /// <summary>Multiplies two random <paramref name="size"/>² fp32 matrices until <paramref name="minSeconds"/> have passed.</summary>
    public static MatmulMeasurement Measure(torch.Device device, int size = 1024, double minSeconds = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        TorchRuntime.EnsureInitialized();
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(size, size, device: device);
        var b = torch.randn(size, size, device: device);
        Synchronize(torch.matmul(a, b));

        int iterations = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            using var step = torch.NewDisposeScope();
            Synchronize(torch.matmul(a, b));
            iterations++;
        } while (clock.Elapsed.TotalSeconds < minSeconds);
        return new MatmulMeasurement(size, iterations, clock.Elapsed.TotalSeconds);
    }

    // Reading one element back waits for the device to finish, so the clock measures work and not queueing.
    static void Synchronize(torch.Tensor result) => result[0, 0].item<float>();
}
