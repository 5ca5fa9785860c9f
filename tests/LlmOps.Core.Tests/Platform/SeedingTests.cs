using LlmOps.Core.Platform;
using TorchSharp;

namespace LlmOps.Core.Tests.Platform;

public class SeedingTests
{
    static (float[] Tensor, int[] Order, int[] Draws) Sample(int seed)
    {
        var scope = Seeding.SeedEverything(seed);
        using var tensor = torch.randn(16);
        var random = scope.Random("augmentation");
        return (tensor.data<float>().ToArray(), scope.Shuffle(Enumerable.Range(0, 50)), Enumerable.Range(0, 8).Select(_ => random.Next()).ToArray());
    }

    [Fact]
    public void The_same_seed_gives_the_same_tensors_data_order_and_draws()
    {
        var first = Sample(42);
        var second = Sample(42);
        Assert.Equal(first.Tensor, second.Tensor);
        Assert.Equal(first.Order, second.Order);
        Assert.Equal(first.Draws, second.Draws);
    }

    [Fact]
    public void Another_seed_gives_other_tensors_data_order_and_draws()
    {
        var first = Sample(42);
        var other = Sample(43);
        Assert.NotEqual(first.Tensor, other.Tensor);
        Assert.NotEqual(first.Order, other.Order);
        Assert.NotEqual(first.Draws, other.Draws);
    }

    [Fact]
    public void Purposes_get_independent_streams()
    {
        var scope = new SeedScope(7);
        Assert.NotEqual(scope.Random("a").Next(), scope.Random("b").Next());
        Assert.Equal(scope.Random("a").Next(), scope.Random("a").Next());
    }

    [Fact]
    public void Stream_seeds_do_not_depend_on_the_process()
    {
        // string.GetHashCode is randomised per process; the derivation must not be. These values are fixed forever:
        // changing them silently changes every seeded run's data order.
        Assert.Equal(SeedScope.Derive(42, SeedScope.DataOrder), SeedScope.Derive(42, "data-order"));
        Assert.Equal(1394099957, SeedScope.Derive(42, SeedScope.DataOrder));
        Assert.Equal(1127758930, SeedScope.Derive(0, ""));
    }

    [Fact]
    public void A_shuffle_is_a_permutation()
    {
        var order = new SeedScope(1).Shuffle(Enumerable.Range(0, 1000));
        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), order);
    }
}
