namespace LlmOps.Interactive.Course;

/// <summary>Where a learner stands on one exercise.</summary>
public enum ExerciseStatus
{
    /// <summary>The answer variable is still <c>null</c>: the course notebook runs on, the check says what to do.</summary>
    NotAnswered,

    /// <summary>The answer matches the value the check computed.</summary>
    Correct,
}
