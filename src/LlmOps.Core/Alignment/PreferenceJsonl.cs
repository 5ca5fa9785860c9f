using System.Text.Json;
using LlmOps.Core.Data;
using LlmOps.Core.FineTuning.Instructions;

namespace LlmOps.Core.Alignment;

/// <summary>
/// Preference pairs as JSON Lines in trl's format, either shape (<see cref="PreferenceShape"/>), with optional
/// <c>system</c> (text shape), <c>task</c> and <c>kind</c> columns. Bad records are treated as the data stage treats
/// them (<see cref="InstructionJsonl"/>'s reader): an error naming the file, line and field, or a line in the rejects file.
/// </summary>
public static class PreferenceJsonl
{
    /// <summary>Writes <paramref name="pairs"/> to <paramref name="path"/>, one record a line.</summary>
    public static Task WriteAsync(string path, IEnumerable<PreferencePair> pairs, PreferenceShape shape = PreferenceShape.Chat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return InstructionJsonl.WriteLinesAsync(path, pairs.Select(p => ToJson(p, shape)), cancellationToken);
    }

    /// <summary>One record as a JSON line (without the newline).</summary>
    public static string ToJson(PreferencePair pair, PreferenceShape shape)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return InstructionJsonl.JsonObject(json =>
        {
            if (shape == PreferenceShape.Text)
            {
                json.WriteString("prompt", pair.Prompt);
                json.WriteString("chosen", pair.Chosen);
                json.WriteString("rejected", pair.Rejected);
                if (pair.System is not null)
                    json.WriteString("system", pair.System);
            }
            else
            {
                InstructionJsonl.WriteMessages(json, "prompt", pair.ChosenExample.PromptMessages());
                InstructionJsonl.WriteMessages(json, "chosen", [pair.ChosenExample.ToMessages()[^1]]);
                InstructionJsonl.WriteMessages(json, "rejected", [pair.RejectedExample.ToMessages()[^1]]);
            }
            if (pair.Task is not null)
                json.WriteString("task", pair.Task);
            if (pair.Kind is not null)
                json.WriteString("kind", pair.Kind);
        });
    }

    /// <summary>Reads a JSONL file of either shape (blank lines are skipped).</summary>
    /// <param name="path">The file.</param>
    /// <param name="onBadRecord">Fail on the first bad record (default), or write it to <paramref name="rejects"/> and go on.</param>
    /// <param name="rejects">Where rejected records go; required with <see cref="BadRecordPolicy.Reject"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DataFormatException">A record has a missing or wrong field (with <see cref="BadRecordPolicy.Fail"/>);
    /// the message names the file, line and field.</exception>
    public static async Task<PreferenceReadResult> ReadAsync(string path, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail, RejectsWriter? rejects = null,
        CancellationToken cancellationToken = default)
    {
        PreferenceShape? shape = null;
        var (pairs, rejected) = await InstructionJsonl.ReadRecordsAsync(path, "preference", (line, number) =>
        {
            var (pair, recordShape) = Parse(line, path, number);
            shape ??= recordShape;
            return pair;
        }, onBadRecord, rejects, cancellationToken).ConfigureAwait(false);
        return new PreferenceReadResult(pairs, shape, rejected);
    }

    /// <summary>One record of either shape.</summary>
    /// <exception cref="DataFormatException">A field is missing or wrong, or the answers are identical.</exception>
    public static (PreferencePair Pair, PreferenceShape Shape) Parse(string line, string file = "(line)", long lineNumber = 0)
    {
        var record = InstructionJsonl.ParseObject(line, file, lineNumber);
        string? task = InstructionJsonl.OptionalString(record, "task", file, lineNumber);
        string? kind = InstructionJsonl.OptionalString(record, "kind", file, lineNumber);
        if (!record.TryGetProperty("prompt", out var prompt))
            throw new DataFormatException(file, lineNumber, "prompt", "missing (a preference record has \"prompt\", \"chosen\" and \"rejected\")");
        PreferencePair pair;
        PreferenceShape shape;
        if (prompt.ValueKind == JsonValueKind.Array)
        {
            var turns = InstructionJsonl.Messages(prompt, "prompt", file, lineNumber);
            string[] roles = [.. turns.Select(t => t.Role)];
            if (!roles.SequenceEqual(["user"]) && !roles.SequenceEqual(["system", "user"]))
                throw new DataFormatException(file, lineNumber, "prompt", $"expected an optional system message and a user message; got [{string.Join(", ", roles)}]");
            pair = new PreferencePair(turns[^1].Content, Answer(record, "chosen", file, lineNumber), Answer(record, "rejected", file, lineNumber),
                roles.Length == 2 ? turns[0].Content : null, task, kind);
            shape = PreferenceShape.Chat;
        }
        else
        {
            pair = new PreferencePair(InstructionJsonl.RequiredString(record, "prompt", file, lineNumber),
                InstructionJsonl.RequiredString(record, "chosen", file, lineNumber), InstructionJsonl.RequiredString(record, "rejected", file, lineNumber),
                InstructionJsonl.OptionalString(record, "system", file, lineNumber), task, kind);
            shape = PreferenceShape.Text;
        }
        // Identical answers carry no preference: their DPO and reward losses have no gradient, so they only dilute a batch.
        return pair.Chosen == pair.Rejected
            ? throw new DataFormatException(file, lineNumber, "rejected", "is the same as chosen: a pair must prefer one answer over another")
            : (pair, shape);
    }

    /// <summary>A conversational answer: a list holding one assistant message.</summary>
    static string Answer(JsonElement record, string name, string file, long line)
    {
        if (!record.TryGetProperty(name, out var value))
            throw new DataFormatException(file, line, name, "missing");
        var turns = InstructionJsonl.Messages(value, name, file, line);
        return turns is [("assistant", var content)] ? content
            : throw new DataFormatException(file, line, name, $"expected one assistant message; got [{string.Join(", ", turns.Select(t => t.Role))}]");
    }
}
