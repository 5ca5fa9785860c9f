namespace LlmOps.Interactive.Formatting;

/// <summary>A value that already knows its MIME forms (text/plain first, then richer ones). Used for small
/// presentation objects such as command help; result records stay plain and are rendered by the formatters.</summary>
public interface IRichDisplay
{
    /// <summary>MIME type to content; always includes text/plain.</summary>
    IReadOnlyList<KeyValuePair<string, string>> ToMimeBundle();
}
