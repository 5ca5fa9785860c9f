using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Data.Dedup;

namespace LlmOps.Core.Tests.Data.Dedup;

public class ExactDedupTests
{
    [Fact]
    public void The_first_copy_is_kept_and_later_copies_name_it()
    {
        var step = new ExactDedup();
        var decisions = new[]
        {
            new Document("a", "Meeting moved to Friday.\nSee you there!", "mail"),
            new Document("b", "Something else entirely.", "mail"),
            new Document("c", "meeting moved to friday -- see you there", "mail"), // same normal form as a
            new Document("d", "Meeting moved to Friday. See you there!", "mail"),
        }.Select(d =>
        {
            var recorder = new StepRecorder();
            return (Kept: step.Apply(d, recorder) is not null, recorder.RemovedBy, recorder.Detail);
        }).ToList();

        Assert.Equal([true, true, false, false], decisions.Select(d => d.Kept));
        Assert.Equal(ExactDedup.Rule, decisions[2].RemovedBy);
        Assert.Equal("exact duplicate of a (same normalised text)", decisions[2].Detail);
        Assert.Equal("exact duplicate of a (same normalised text)", decisions[3].Detail);
        Assert.Equal(2, step.DistinctCount);
    }

    [Fact]
    public void Texts_that_differ_in_one_word_are_both_kept()
    {
        var step = new ExactDedup();
        Assert.NotNull(step.Apply(new Document("a", "the price is 10 dollars", "s"), new StepRecorder()));
        Assert.NotNull(step.Apply(new Document("b", "the price is 11 dollars", "s"), new StepRecorder()));
    }
}
