using Domus.Config.Model;

namespace Domus.Api;

/// <summary>
/// A domain to create, already read and checked by the configuration layer. The VNC password travels
/// beside the configuration because the configuration's JSON never carries it.
/// </summary>
public sealed record CreateDomainRequest(DomainConfig Config, string? ConfigPath, bool Paused, string? VncPassword);
