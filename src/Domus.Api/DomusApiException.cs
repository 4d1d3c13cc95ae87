using System.Net;

namespace Domus.Api;

/// <summary>domusd refused or failed a request; the message is domusd's sentence for the user.</summary>
public sealed class DomusApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
