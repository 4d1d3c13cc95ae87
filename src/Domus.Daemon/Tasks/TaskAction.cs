namespace Domus.Daemon.Tasks;

/// <summary>
/// Endpoint metadata: requests to this endpoint are recorded in the task log as <see cref="Name"/>, on the target
/// the route names (its <c>domain</c> or <c>name</c>), or the one the handler sets.
/// </summary>
public sealed record TaskAction(string Name);
