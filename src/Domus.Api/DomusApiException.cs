using System.Net;

namespace Domus.Api;

/// <summary>
/// domusd refused or failed a request; the message is domusd's sentence for the user, <see cref="Errors"/> what it
/// said of each field of a form (empty for other requests).
/// </summary>
public sealed class DomusApiException(HttpStatusCode status, string message, IReadOnlyDictionary<string, string>? errors = null) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public IReadOnlyDictionary<string, string> Errors { get; } = errors ?? new Dictionary<string, string>();
}
