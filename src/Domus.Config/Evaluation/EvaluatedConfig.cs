namespace Domus.Config.Evaluation;

/// <summary>
/// The settings a configuration produced, in the order they were first assigned, and the keys whose value
/// could not be computed (their errors are already reported, so nothing more is said of them).
/// </summary>
public sealed record EvaluatedConfig(IReadOnlyList<Setting> Settings, IReadOnlySet<string> FailedKeys);
