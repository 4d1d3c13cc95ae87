namespace Domus.Config.Diagnostics;

/// <summary>A 1-based line and column in a named source (a file, or one command-line argument).</summary>
public readonly record struct SourceLocation(string Source, int Line, int Column)
{
    /// <summary>A location that names only the source, for problems of the whole file.</summary>
    public static SourceLocation Whole(string source) => new(source, 0, 0);

    public override string ToString() => Line == 0 ? Source : $"{Source}:{Line}:{Column}";
}
