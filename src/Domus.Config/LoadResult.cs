using Domus.Config.Diagnostics;
using Domus.Config.Model;

namespace Domus.Config;

/// <summary>A valid domain configuration and the warnings its load produced.</summary>
public sealed record LoadResult(DomainConfig Config, IReadOnlyList<Diagnostic> Warnings);
