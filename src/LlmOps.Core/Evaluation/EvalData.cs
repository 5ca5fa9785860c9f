using System.Globalization;
using System.Text.Json;
using LlmOps.Core.Data;

namespace LlmOps.Core.Evaluation;

/// <summary>Reads evaluation items from JSON Lines. Errors are <see cref="DataFormatException"/>s naming the file, the
/// line and the field.</summary>
/// <remarks>Not <see cref="DocumentReader.ReadJsonl"/>: that reads corpora, one text field per record, and may skip
/// bad records by policy; an evaluation item has several typed fields (a choices array, an answer index), and a bad
/// one must stop the run, since a skipped item would change the score silently.</remarks>
public static class EvalData
{
    /// <summary>Every non-blank line of <paramref name="path"/> as a record.</summary>
    public static IReadOnlyList<EvalRecord> ReadRecords(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such evaluation data file.", path);
        var records = new List<EvalRecord>();
        long lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonDocument parsed;
            try
            {
                parsed = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, lineNumber, null, $"not valid JSON: {e.Message}", e);
            }
            using (parsed)
            {
                if (parsed.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(path, lineNumber, null, $"expected a JSON object, found {parsed.RootElement.ValueKind.ToString().ToLowerInvariant()}");
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in parsed.RootElement.EnumerateObject())
                    fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                records.Add(new EvalRecord(path, lineNumber, fields));
            }
        }
        if (records.Count == 0)
            throw new DataFormatException(path, 0, null, "no items");
        return records;
    }

    /// <summary>Reads harness-style multiple-choice items: <c>choices</c> an array of at least two strings,
    /// <c>answer</c> the gold index (a number, or a letter A, B, ... as MMLU exports write it).</summary>
    public static IReadOnlyList<MultipleChoiceItem> ReadMultipleChoice(string path) => [.. ReadRecords(path).Select(ToMultipleChoice)];

    /// <summary>The multiple-choice reading of one record.</summary>
    public static MultipleChoiceItem ToMultipleChoice(EvalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Fields.TryGetValue("choices", out string? choicesJson))
            throw new DataFormatException(record.File, record.Line, "choices", "missing");
        string[] choices;
        try
        {
            choices = JsonSerializer.Deserialize<string[]>(choicesJson) ?? [];
        }
        catch (JsonException)
        {
            throw new DataFormatException(record.File, record.Line, "choices", "must be an array of strings");
        }
        if (choices.Length < 2)
            throw new DataFormatException(record.File, record.Line, "choices", $"needs at least two choices, found {choices.Length}");
        if (!record.Fields.TryGetValue("answer", out string? answerText))
            throw new DataFormatException(record.File, record.Line, "answer", "missing");
        int answer = answerText.Length == 1 && answerText[0] is >= 'A' and <= 'Z' ? answerText[0] - 'A'
            : int.TryParse(answerText, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : -1;
        if (answer < 0 || answer >= choices.Length)
            throw new DataFormatException(record.File, record.Line, "answer", $"'{answerText}' is not the index (0 to {choices.Length - 1}) or letter of a choice");
        return new MultipleChoiceItem(record, choices, answer);
    }
}
