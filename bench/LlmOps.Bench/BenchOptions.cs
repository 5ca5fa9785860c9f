using System.Globalization;

namespace LlmOps.Bench;

/// <summary><c>--name value</c> pairs, read by name with a default, so each benchmark declares its own options.</summary>
sealed class BenchOptions
{
    readonly Dictionary<string, string> values;

    BenchOptions(Dictionary<string, string> values) => this.values = values;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value, got '{string.Join(' ', args[i..])}'");
            values[args[i][2..]] = args[i + 1];
        }
        return new BenchOptions(values);
    }

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out string? value)
            ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) ? parsed : throw new ArgumentException($"--{name} must be an integer, got '{value}'")
            : fallback;

    public string String(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
