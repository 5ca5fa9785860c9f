using System.Text;
using System.Text.RegularExpressions;
using LlmOps.Core.Data;

namespace LlmOps.Core.Evaluation;

/// <summary>Fills <c>{field}</c> placeholders (letters, digits, underscores) from an item; other braces stay as
/// written, so JSON or code in a prompt needs no escaping.</summary>
public static partial class PromptTemplate
{
    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();

    /// <summary>The template with each placeholder replaced by the record's field.</summary>
    /// <param name="template">The template.</param>
    /// <param name="record">The item.</param>
    /// <param name="setting">The task setting the template came from, for the error (<c>prompt</c>, <c>target</c>).</param>
    /// <exception cref="DataFormatException">The record lacks a field the template uses: names the data file, the line and the field.</exception>
    public static string Render(string template, EvalRecord record, string setting = "prompt")
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder(template.Length * 2);
        int last = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            string field = match.Groups[1].Value;
            if (!record.Fields.TryGetValue(field, out string? value))
                throw new DataFormatException(record.File, record.Line, field, $"missing, and the task's {setting} template uses {{{field}}}");
            text.Append(template, last, match.Index - last).Append(value);
            last = match.Index + match.Length;
        }
        return text.Append(template, last, template.Length - last).ToString();
    }
}
