using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Domus.Daemon.Api;

/// <summary>
/// Sessions of browsers that logged in with the API token from another host: a random id in an HttpOnly,
/// SameSite=Strict cookie, valid for twelve hours or until logout, and forgotten when domusd restarts.
/// </summary>
public sealed class BrowserSessions(TimeProvider time)
{
    public const string Cookie = "domus_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public string Start()
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _expiries[id] = time.GetUtcNow() + Lifetime;
        return id;
    }

    public bool IsValid(string? id)
    {
        if (id is null || !_expiries.TryGetValue(id, out var expiry))
        {
            return false;
        }

        if (expiry > time.GetUtcNow())
        {
            return true;
        }

        _expiries.TryRemove(id, out _);
        return false;
    }

    public void End(string? id)
    {
        if (id is not null)
        {
            _expiries.TryRemove(id, out _);
        }
    }
}
