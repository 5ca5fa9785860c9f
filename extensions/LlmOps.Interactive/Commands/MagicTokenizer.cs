using System.Text;

namespace LlmOps.Interactive.Commands;

/// <summary>Splits a magic command line into words the way a shell would: spaces separate, double or single
/// quotes group, a backslash escapes the next character inside double quotes.</summary>
public static class MagicTokenizer
{
    /// <summary>The words of <paramref name="line"/>.</summary>
    /// <exception cref="MagicCommandException">An unterminated quote.</exception>
    public static IReadOnlyList<string> Split(string line, int lineNumber = 0)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                    word.Append(line[++i]);
                else
                    word.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0')
            throw new MagicCommandException($"Unterminated {quote} quote in: {line}", lineNumber);
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}
