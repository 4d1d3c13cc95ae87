using System.Net;

namespace Domus.Daemon.Api;

/// <summary>
/// What is wrong with a form's fields, collected so that every problem is answered at once, each under its
/// field's JSON name. A clash with something that exists (a name taken) is a conflict; anything else is bad input.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private bool _invalid;

    public bool Any => _errors.Count > 0;

    /// <summary>Records the first problem of a field; a field shows one message.</summary>
    public void Add(string field, string message)
    {
        if (_errors.TryAdd(field, message))
        {
            _invalid = true;
        }
    }

    public void Conflict(string field, string message) => _errors.TryAdd(field, message);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new InvalidFieldsException(_errors, _invalid ? HttpStatusCode.BadRequest : HttpStatusCode.Conflict);
        }
    }
}
