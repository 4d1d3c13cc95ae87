namespace Domus.Config.Diagnostics;

/// <summary>Collects every problem of a load so that all of them are reported at once.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Errors => _items.Where(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Warnings => _items.Where(d => d.Severity == Severity.Warning);

    public void Error(SourceLocation location, string message) =>
        _items.Add(new Diagnostic(Severity.Error, location, message));

    public void Warning(SourceLocation location, string message) =>
        _items.Add(new Diagnostic(Severity.Warning, location, message));

    /// <summary>The errors in source order, as the user reads the file.</summary>
    public IReadOnlyList<Diagnostic> SortedErrors()
    {
        var sourceOrder = _items.Select(d => d.Location.Source).Distinct().ToList();
        return Errors.OrderBy(d => sourceOrder.IndexOf(d.Location.Source))
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
    }
}
