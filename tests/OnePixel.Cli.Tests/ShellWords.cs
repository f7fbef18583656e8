using System.Text;

namespace OnePixel.Cli.Tests;

/// <summary>Splits a command line a message printed into its arguments as a POSIX shell would (spaces, single quotes, backslashes), so tests can run it word for word.</summary>
internal static class ShellWords
{
    public static string[] Split(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (c == '\'')
            {
                var end = commandLine.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException($"unclosed quote in: {commandLine}");
                word.Append(commandLine, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < commandLine.Length)
            {
                word.Append(commandLine[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return [.. words];
    }

    /// <summary>The arguments after "onepixel" of the first line of <paramref name="text"/> that runs it.</summary>
    public static string[] OnePixelCommandIn(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("onepixel ", StringComparison.Ordinal) || l.Contains(": onepixel ") || l.Contains("or: onepixel "))
            ?? throw new InvalidOperationException($"No onepixel command in:\n{text}");
        var start = line.IndexOf("onepixel ", StringComparison.Ordinal);
        var command = line[(start + "onepixel ".Length)..].TrimEnd('.');
        return Split(command);
    }
}
