using System.Text.RegularExpressions;

namespace OnePixel.Packaging.Tests.Consumer;

/// <summary>
/// README's "Use it in your repository": the files it shows (a line holding only `path`, then a fenced
/// block) and its commands, so the consumer test writes and runs exactly what a reader would.
/// </summary>
internal sealed partial class ReadmeSection
{
    private ReadmeSection(string text) => Text = text;

    public string Text { get; }

    public static ReadmeSection Read(string heading)
    {
        var readme = File.ReadAllText(Repository.File("README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"README.md has no section \"## {heading}\".");
        var end = readme.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return new ReadmeSection(readme[start..(end < 0 ? readme.Length : end)]);
    }

    /// <summary>Every file the section shows, by its path relative to the user's repository.</summary>
    public IReadOnlyDictionary<string, string> Files() =>
        FileBlock().Matches(Text).ToDictionary(m => m.Groups["path"].Value, m => m.Groups["body"].Value);

    /// <summary>Whether the section shows <paramref name="command"/> word for word (on a line of its own, comments aside).</summary>
    public bool Shows(string command) =>
        Text.Split('\n').Any(line => line.Split('#')[0].Trim() == command);

    [GeneratedRegex(@"^`(?<path>[^`\s]+\.[A-Za-z]+)`\n\n```[a-z]*\n(?<body>.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();
}
