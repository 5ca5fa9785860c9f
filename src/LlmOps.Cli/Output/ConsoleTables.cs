using LlmOps.Core.Display;
using Spectre.Console;

namespace LlmOps.Cli.Output;

/// <summary>Core's text tables as Spectre console tables, so every verb prints records the same way.</summary>
static class ConsoleTables
{
    public static Table ToSpectre(TextTable table)
    {
        var spectre = new Table().Title(Markup.Escape(table.Title));
        foreach (string name in table.Header)
            spectre.AddColumn(Markup.Escape(name));
        foreach (var row in table.Rows)
            spectre.AddRow([.. row.Select(Markup.Escape)]);
        return spectre;
    }
}
