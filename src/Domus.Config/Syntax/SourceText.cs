using Domus.Config.Diagnostics;

namespace Domus.Config.Syntax;

/// <summary>
/// The text of one configuration source. <see cref="BaseDirectory"/> is where relative paths in it are
/// resolved: the file's directory, or the working directory for command-line overrides.
/// </summary>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string name, string text, string baseDirectory)
    {
        Name = name;
        Text = text;
        BaseDirectory = baseDirectory;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public string Name { get; }

    public string Text { get; }

    public string BaseDirectory { get; }

    public SourceLocation LocationOf(int offset)
    {
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourceLocation(Name, line + 1, offset - _lineStarts[line] + 1);
    }
}
