using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmOps.Interactive.Documents;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False)</c> does, which
/// is how nbformat (and so Jupyter) writes notebooks: one-space indents, <c>": "</c> and <c>","</c> separators, keys
/// sorted by code point, non-ASCII kept as is, and only quotes, backslashes and control characters escaped.
/// System.Text.Json cannot be configured to match (it escapes &lt;, &gt;, &amp; and indents by two on .NET 8).
/// </summary>
static class PythonJsonWriter
{
    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        WriteNode(text, node, 0);
        return text.ToString();
    }

    static void WriteNode(StringBuilder text, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    text.Append("{}");
                    return;
                }
                text.Append("{\n");
                var keys = obj.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                for (int i = 0; i < keys.Count; i++)
                {
                    text.Append(' ', depth + 1);
                    WriteString(text, keys[i]);
                    text.Append(": ");
                    WriteNode(text, obj[keys[i]], depth + 1);
                    text.Append(i < keys.Count - 1 ? ",\n" : "\n");
                }
                text.Append(' ', depth).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    text.Append("[]");
                    return;
                }
                text.Append("[\n");
                for (int i = 0; i < array.Count; i++)
                {
                    text.Append(' ', depth + 1);
                    WriteNode(text, array[i], depth + 1);
                    text.Append(i < array.Count - 1 ? ",\n" : "\n");
                }
                text.Append(' ', depth).Append(']');
                break;
            case JsonValue value:
                WriteValue(text, value);
                break;
        }
    }

    static void WriteValue(StringBuilder text, JsonValue value)
    {
        if (value.TryGetValue(out JsonElement element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String: WriteString(text, element.GetString()!); return;
                case JsonValueKind.True: text.Append("true"); return;
                case JsonValueKind.False: text.Append("false"); return;
                case JsonValueKind.Null: text.Append("null"); return;
                case JsonValueKind.Number: text.Append(element.GetRawText()); return; // as the file had it
            }
        }
        if (value.TryGetValue(out string? s)) WriteString(text, s);
        else if (value.TryGetValue(out bool b)) text.Append(b ? "true" : "false");
        else if (value.TryGetValue(out int i)) text.Append(i.ToString(CultureInfo.InvariantCulture));
        else if (value.TryGetValue(out long l)) text.Append(l.ToString(CultureInfo.InvariantCulture));
        else if (value.TryGetValue(out double d)) text.Append(PythonFloat(d));
        else text.Append(value.ToJsonString());
    }

    /// <summary>Python's repr of a float: the shortest round-trip digits, fixed notation for exponents -4..15 (with
    /// ".0" on integral values), else scientific with a signed two-digit exponent (1e-05, 1.5e+16).</summary>
    internal static string PythonFloat(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";

        // Normalise .NET's shortest round-trip text to digits and a decimal exponent: value = 0.d1d2d3... * 10^(point).
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        string sign = r.StartsWith('-') ? "-" : "";
        r = r.TrimStart('-');
        int e = r.IndexOf('E');
        int exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? r : r[..e];
        int dot = mantissa.IndexOf('.');
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        int leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= leading;
        int scientific = point - 1; // exponent of the first significant digit

        if (scientific < -4 || scientific >= 16)
        {
            string body = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{body}e{(scientific < 0 ? "-" : "+")}{Math.Abs(scientific):00}";
        }
        if (point <= 0)
            return $"{sign}0.{new string('0', -point)}{digits}";
        if (point >= digits.Length)
            return $"{sign}{digits}{new string('0', point - digits.Length)}.0";
        return $"{sign}{digits[..point]}.{digits[point..]}";
    }

    static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20)
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
