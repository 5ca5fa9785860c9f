using LlmOps.Core.Chat;

namespace LlmOps.Core.Tests.Chat;

public class StopStringFilterTests
{
    [Fact]
    public void Text_is_cut_exactly_where_a_stop_string_begins_even_inside_a_piece()
    {
        var filter = new StopStringFilter(["nan"]);
        Assert.Equal("A", filter.Add("A"));
        Assert.Equal(" ba", filter.Add(" banana."));
        Assert.True(filter.Stopped);
        Assert.Equal("", filter.Add("more"));
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void A_possible_start_of_a_stop_is_held_back_until_it_cannot_be_one()
    {
        var filter = new StopStringFilter(["<|end|>", "\nUser:"]);
        Assert.Equal("Hi", filter.Add("Hi<|e"));   // "<|e" might become "<|end|>"
        Assert.Equal("<|ex", filter.Add("x"));     // it did not
        Assert.Equal(" ok", filter.Add(" ok\nUs"));
        Assert.Equal("", filter.Add("er:"));       // the second stop, split over two pieces
        Assert.True(filter.Stopped);
    }

    [Fact]
    public void Without_a_stop_everything_is_released_by_the_end()
    {
        var filter = new StopStringFilter(["STOP"]);
        Assert.Equal("abc ", filter.Add("abc ST"));
        Assert.Equal("ST", filter.Flush());
        Assert.False(filter.Stopped);
        Assert.Equal("xyz", new StopStringFilter([]).Add("xyz"));
    }
}
