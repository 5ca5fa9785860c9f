using System.Globalization;
using LlmOps.Interactive.Documents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmOps.Interactive.Engine.Runner;

/// <summary>
/// papermill-style parameters for C# notebooks: the cell tagged <c>parameters</c> declares variables with their
/// defaults; overrides become a new cell tagged <c>injected-parameters</c> right after it, redeclaring those
/// variables (C# scripts allow a later cell to redeclare a name). Values are written as literals of the declared type.
/// </summary>
public static class ParameterInjector
{
    /// <summary>The tag of the cell that declares parameters.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the cell the runner inserts.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The variables the parameters cell declares, name to declared type (as written; <c>var</c> is inferred from the literal).</summary>
    public static IReadOnlyDictionary<string, string> Declared(NotebookCell parametersCell)
    {
        var tree = CSharpSyntaxTree.ParseText(parametersCell.Source, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            foreach (var variable in declaration.Variables)
            {
                string type = declaration.Type.ToString();
                if (type == "var" && variable.Initializer?.Value is LiteralExpressionSyntax literal)
                    type = literal.Kind() switch
                    {
                        SyntaxKind.StringLiteralExpression => "string",
                        SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression => "bool",
                        SyntaxKind.NumericLiteralExpression => literal.Token.Value switch { int => "int", long => "long", float => "float", _ => "double" },
                        _ => type,
                    };
                declared[variable.Identifier.Text] = type;
            }
        }
        return declared;
    }

    /// <summary>Inserts the injected-parameters cell. Returns the notebook unchanged when there are no overrides.</summary>
    /// <exception cref="ArgumentException">Overrides without a parameters cell, or for a name it does not declare, or a value
    /// that is not a valid literal of its type; the message lists what the notebook accepts.</exception>
    public static void Inject(NotebookDocument notebook, IReadOnlyDictionary<string, string> overrides, string notebookPath)
    {
        if (overrides.Count == 0)
            return;
        int index = notebook.Cells.FindIndex(c => c.IsCode && c.Tags.Contains(ParametersTag));
        if (index < 0)
            throw new ArgumentException($"{notebookPath}: parameters were given ({string.Join(", ", overrides.Keys)}) but no code cell is tagged '{ParametersTag}'.");

        var declared = Declared(notebook.Cells[index]);
        var lines = new List<string> { "// Injected by llmops notebook run: overrides for the parameters cell above." };
        foreach (var (name, value) in overrides)
        {
            if (!declared.TryGetValue(name, out string? type))
                throw new ArgumentException($"{notebookPath}: unknown parameter '{name}'. The parameters cell declares: {string.Join(", ", declared.Select(d => $"{d.Value} {d.Key}"))}.");
            lines.Add($"{(type == "var" ? "var" : type)} {name} = {Literal(type, value, name, notebookPath)};");
        }
        var cell = NotebookCell.Code(string.Join('\n', lines));
        cell.Metadata["tags"] = new System.Text.Json.Nodes.JsonArray(InjectedTag);
        notebook.Cells.Insert(index + 1, cell);
    }

    static string Literal(string type, string value, string name, string path)
    {
        string bare = type.TrimEnd('?');
        bool ok = bare switch
        {
            "string" => true,
            "bool" => bool.TryParse(value, out _),
            "int" or "long" or "short" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "double" or "float" or "decimal" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ => true, // any other type: the value is a C# expression, checked by the compiler
        };
        if (!ok)
            throw new ArgumentException($"{path}: parameter '{name}' is {type}; '{value}' is not a valid {bare}.");
        return bare switch
        {
            "string" => SymbolDisplay.FormatLiteral(value, quote: true),
            "bool" => value.ToLowerInvariant(),
            "float" => value + "f",
            "decimal" => value + "m",
            "long" => value + "L",
            _ => value,
        };
    }
}
