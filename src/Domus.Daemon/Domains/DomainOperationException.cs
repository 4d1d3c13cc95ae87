using System.Net;

namespace Domus.Daemon.Domains;

/// <summary>
/// An operation on a domain failed or was refused for a reason the user should read; nothing was left half
/// done. <see cref="Status"/> is the HTTP status the API answers with.
/// </summary>
public sealed class DomainOperationException(string message, HttpStatusCode status = HttpStatusCode.BadRequest) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public static DomainOperationException NotFound(string reference) => new($"{reference}: no such domain", HttpStatusCode.NotFound);

    public static DomainOperationException Conflict(string message) => new(message, HttpStatusCode.Conflict);
}
