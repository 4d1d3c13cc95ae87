namespace Domus.Api;

/// <summary>
/// A domain's configuration file as it is on disk now, with the problems <c>domus create -n</c> would report for it.
/// The domain itself runs with what the file said when it started. No path: the domain was created without a file.
/// </summary>
public sealed record ConfigFileView(string? Path, string? Text, IReadOnlyList<ConfigProblem> Problems);
