using System.Net;

namespace Domus.Daemon.Api;

/// <summary>A form was refused: <see cref="Errors"/> holds a sentence per field; nothing was written.</summary>
public sealed class InvalidFieldsException(IReadOnlyDictionary<string, string> errors, HttpStatusCode status)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;

    public HttpStatusCode Status { get; } = status;
}
