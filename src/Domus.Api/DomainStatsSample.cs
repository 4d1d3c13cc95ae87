namespace Domus.Api;

/// <summary>
/// One reading of a running domain's load: the CPU its vCPUs used since the reading before, in percent of one host
/// CPU (two busy vCPUs make 200), and the resident memory of its device model process, guest RAM it touched included.
/// </summary>
public sealed record DomainStatsSample(DateTimeOffset At, double CpuPercent, double ResidentMib);
