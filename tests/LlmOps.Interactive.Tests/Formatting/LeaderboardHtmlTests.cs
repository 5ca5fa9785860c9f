using System.Text.RegularExpressions;
using LlmOps.Core.Evaluation;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Tests.Formatting;

public class LeaderboardHtmlTests
{
    static EvalReport Report(string model, double[] acc)
    {
        var items = acc.Select((a, i) => new EvalItemResult(i + 1, "q", "a", null, [0.0], new Dictionary<string, double> { ["acc"] = a })).ToList();
        return new EvalReport("suite", model,
            [new EvalResult("mc", EvalTaskKind.MultipleChoice, new Dictionary<string, double> { ["acc"] = acc.Average() }, items, items.Count, new Dictionary<string, long>())], 1000);
    }

    [Fact]
    public void The_board_is_a_sortable_table_with_a_grouped_bar_per_model()
    {
        var board = Leaderboard.Build([Report("good", [1, 1, 1, 0]), Report("bad", [0, 1, 0, 0])]);

        string html = MimeRenderer.Render(board, new RenderContext()).Single(b => b.Key == "text/html").Value;

        Assert.Contains("onclick=\"(function(th)", html, StringComparison.Ordinal);
        Assert.Contains("data-sort=\"0.75\">0.75</td>", html, StringComparison.Ordinal);
        Assert.Contains("data-sort=\"1000\">1,000</td>", html, StringComparison.Ordinal); // sorts by value, shows grouped digits
        Assert.Matches(@"barmode\W+group", html);
        Assert.Equal(2, Regex.Count(html, @"\W+type\W+:\W+bar\W")); // one bar series per model
        Assert.Contains("Paired bootstrap", html, StringComparison.Ordinal);
        Assert.Contains("Bradley-Terry", html, StringComparison.Ordinal);
    }
}
