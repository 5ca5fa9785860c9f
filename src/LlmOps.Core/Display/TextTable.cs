using System.Text;

namespace LlmOps.Core.Display;

/// <summary>A titled table of text cells: the one shape that the text and HTML forms of data records share, so both
/// show the same rows.</summary>
/// <param name="Title">Caption.</param>
/// <param name="Header">Column names.</param>
/// <param name="Rows">Cells, one array per row, as many as the header.</param>
public sealed record TextTable(string Title, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)
{
    /// <summary>Monospace text with aligned columns (numbers right-aligned).</summary>
    public string ToText()
    {
        int columns = Header.Count;
        var widths = Enumerable.Range(0, columns).Select(c => Rows.Select(r => r[c].Length).Append(Header[c].Length).Max()).ToArray();
        var numeric = Enumerable.Range(0, columns).Select(c => Rows.Count > 0 && Rows.All(r => IsNumber(r[c]))).ToArray();
        var text = new StringBuilder(Title).Append('\n');
        void Line(IReadOnlyList<string> cells)
        {
            for (int c = 0; c < columns; c++)
                text.Append(c == 0 ? "  " : "  ").Append(numeric[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
            text.Length = text.ToString().TrimEnd().Length;
            text.Append('\n');
        }
        Line(Header);
        foreach (var row in Rows)
            Line(row);
        return text.ToString();
    }

    /// <summary>Several tables as one text, a blank line between them.</summary>
    public static string Join(IEnumerable<TextTable> tables) => string.Join("\n", tables.Select(t => t.ToText()));

    static bool IsNumber(string cell) => cell.Length > 0 && (char.IsDigit(cell[0]) || cell[0] == '-') && cell.All(c => char.IsDigit(c) || c is ',' or '.' or '%' or '-' or 'x');
}
