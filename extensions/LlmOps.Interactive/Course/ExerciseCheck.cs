using System.Globalization;
using System.Net;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Course;

/// <summary>
/// The outcome of an exercise's check cell. A course notebook leaves each answer <c>null</c>, so it runs top to bottom
/// and the check shows what to do; the copy in <c>notebooks/solutions</c> fills the answers in, and there a wrong answer
/// throws <see cref="ExerciseCheckException"/> so CI fails when a solution (or the library under it) drifts.
/// </summary>
/// <param name="Name">The exercise, as the notebook titles it ("Exercise 2: LSH at J = 0.8").</param>
/// <param name="Status">Not answered yet, or correct (wrong answers throw instead).</param>
/// <param name="Answer">The learner's answer, as text.</param>
/// <param name="Expected">What the check computed, as text.</param>
/// <param name="Hint">What to do next when not answered.</param>
public sealed record ExerciseCheck(string Name, ExerciseStatus Status, string? Answer, string Expected, string Hint) : IRichDisplay
{
    /// <summary>Checks a numeric answer against a value the check cell computed (never a hard-coded constant).</summary>
    /// <param name="name">The exercise's title.</param>
    /// <param name="answer">The learner's answer; <c>null</c> while unanswered.</param>
    /// <param name="expected">The value computed by the library or by the notebook's own code.</param>
    /// <param name="tolerance">Allowed absolute difference.</param>
    /// <param name="hint">What to do while unanswered.</param>
    /// <exception cref="ExerciseCheckException">The answer is further than <paramref name="tolerance"/> from the value.</exception>
    public static ExerciseCheck Number(string name, double? answer, double expected, double tolerance, string hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        string expectedText = expected.ToString("G6", CultureInfo.InvariantCulture);
        if (answer is not double given)
            return new(name, ExerciseStatus.NotAnswered, null, expectedText, hint);
        string givenText = given.ToString("G6", CultureInfo.InvariantCulture);
        if (double.IsNaN(given) || Math.Abs(given - expected) > tolerance)
            throw new ExerciseCheckException(name, $"{name}: your answer {givenText} is not within {tolerance.ToString("G3", CultureInfo.InvariantCulture)} of {expectedText}.");
        return new(name, ExerciseStatus.Correct, givenText, expectedText, hint);
    }

    /// <summary>Checks a condition about the learner's change (for "change this, observe that" exercises).</summary>
    /// <param name="name">The exercise's title.</param>
    /// <param name="answered">Whether the learner has made the change yet.</param>
    /// <param name="holds">Whether the observation the exercise asks for holds.</param>
    /// <param name="observed">What was observed, as text (shown either way).</param>
    /// <param name="hint">What to do while unanswered.</param>
    /// <exception cref="ExerciseCheckException">The change was made but the observation does not hold.</exception>
    public static ExerciseCheck Condition(string name, bool answered, bool holds, string observed, string hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!answered)
            return new(name, ExerciseStatus.NotAnswered, null, observed, hint);
        if (!holds)
            throw new ExerciseCheckException(name, $"{name}: not yet: {observed}.");
        return new(name, ExerciseStatus.Correct, observed, observed, hint);
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, string>> ToMimeBundle() => [new("text/plain", ToString()), new("text/html", ToHtml())];

    /// <summary>One line: the exercise, its state, and the hint or the matched value.</summary>
    public override string ToString() => Status == ExerciseStatus.Correct
        ? $"✔ {Name}: correct ({Answer})"
        : $"… {Name}: not answered yet. {Hint}";

    string ToHtml()
    {
        string colour = Status == ExerciseStatus.Correct ? "#1a7f37" : "#9a6700";
        return $"<div class=\"llmops-exercise\" style=\"border-left:4px solid {colour};padding:4px 10px\">{WebUtility.HtmlEncode(ToString())}</div>";
    }
}
