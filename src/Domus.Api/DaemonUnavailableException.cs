namespace Domus.Api;

/// <summary>Nothing answers on domusd's socket.</summary>
public sealed class DaemonUnavailableException(string socket, Exception inner)
    : Exception($"domusd is not running (nothing answers on {socket}): {inner.Message}", inner);
