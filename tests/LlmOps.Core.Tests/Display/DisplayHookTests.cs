using LlmOps.Core.Display;

namespace LlmOps.Core.Tests.Display;

public class DisplayHookTests
{
    sealed class RecordingSink : IDisplaySink
    {
        public List<List<object>> Outputs { get; } = [];

        public IDisplayHandle Show(object value)
        {
            var output = new List<object> { value };
            Outputs.Add(output);
            return new Handle(output);
        }

        sealed class Handle(List<object> output) : IDisplayHandle
        {
            public void Update(object value) => output.Add(value);
        }
    }

    [Fact]
    public void A_scoped_sink_receives_shows_and_in_place_updates_and_is_restored()
    {
        var sink = new RecordingSink();
        var before = DisplayHook.Current;
        using (DisplayHook.Use(sink))
        {
            var handle = DisplayHook.Show("step 0");
            handle.Update("step 1");
            DisplayHook.Show("done");
        }
        Assert.Same(before, DisplayHook.Current);
        Assert.Equal(2, sink.Outputs.Count);
        Assert.Equal(new object[] { "step 0", "step 1" }, sink.Outputs[0]);
    }

    [Fact]
    public void An_interactive_console_rewrites_the_lines_of_an_updated_output()
    {
        var writer = new StringWriter();
        var handle = new ConsoleDisplaySink(writer, interactive: true).Show("a\nb");
        handle.Update("c");

        Assert.Equal("a\nb\n\u001b[2A\u001b[0Jc\n", writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void A_redirected_console_appends_every_nth_update()
    {
        var writer = new StringWriter();
        var handle = new ConsoleDisplaySink(writer, interactive: false, appendEvery: 2).Show("0");
        for (int i = 1; i <= 4; i++)
            handle.Update(i.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new[] { "0", "2", "4" }, writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
