using LlmOps.Interactive.Course;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Tests.Course;

public sealed class ExerciseCheckTests
{
    [Fact]
    public void An_unanswered_exercise_does_not_throw_and_shows_its_hint_in_every_form()
    {
        var check = ExerciseCheck.Number("Exercise 1: LSH", null, 0.79, 1e-3, "Set answer1 above.");

        Assert.Equal(ExerciseStatus.NotAnswered, check.Status);
        var bundle = MimeRenderer.Render(check, new RenderContext());
        Assert.Equal("text/plain", bundle[0].Key);
        Assert.Contains("Set answer1 above.", bundle[0].Value);
        Assert.Contains("Set answer1 above.", bundle.Single(b => b.Key == "text/html").Value);
    }

    [Fact]
    public void A_close_answer_is_correct_and_a_wrong_one_throws_naming_the_exercise_and_both_values()
    {
        Assert.Equal(ExerciseStatus.Correct, ExerciseCheck.Number("Exercise 1", 0.7901, 0.79, 1e-3, "").Status);

        var error = Assert.Throws<ExerciseCheckException>(() => ExerciseCheck.Number("Exercise 1", 0.5, 0.79, 1e-3, ""));
        Assert.Equal("Exercise 1", error.Exercise);
        Assert.Contains("0.5", error.Message);
        Assert.Contains("0.79", error.Message);
        Assert.Throws<ExerciseCheckException>(() => ExerciseCheck.Number("Exercise 1", double.NaN, 0.79, 1e-3, ""));
    }

    [Fact]
    public void A_condition_check_passes_only_when_the_change_was_made_and_the_observation_holds()
    {
        Assert.Equal(ExerciseStatus.NotAnswered, ExerciseCheck.Condition("Exercise 2", false, false, "x", "do y").Status);
        Assert.Equal(ExerciseStatus.Correct, ExerciseCheck.Condition("Exercise 2", true, true, "removals fell 12 -> 3", "").Status);
        Assert.Throws<ExerciseCheckException>(() => ExerciseCheck.Condition("Exercise 2", true, false, "removals 12 -> 12", ""));
    }
}
