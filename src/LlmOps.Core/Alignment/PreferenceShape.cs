namespace LlmOps.Core.Alignment;

/// <summary>The two layouts of trl's preference datasets.</summary>
public enum PreferenceShape
{
    /// <summary>Standard: <c>prompt</c>, <c>chosen</c> and <c>rejected</c> are strings.</summary>
    Text,

    /// <summary>Conversational: <c>prompt</c> is a list of messages (system, user) and <c>chosen</c>/<c>rejected</c>
    /// each a list holding the assistant's message.</summary>
    Chat,
}
