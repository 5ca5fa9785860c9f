namespace LlmOps.Interactive.Course;

/// <summary>A filled-in exercise answer that does not match what the check computed.</summary>
/// <param name="exercise">The exercise's title.</param>
/// <param name="message">The answer, the computed value and the tolerance, in one sentence.</param>
public sealed class ExerciseCheckException(string exercise, string message) : Exception(message)
{
    /// <summary>The exercise's title.</summary>
    public string Exercise { get; } = exercise;
}
