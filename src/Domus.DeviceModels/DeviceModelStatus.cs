namespace Domus.DeviceModels;

/// <summary>
/// A snapshot of a running device model: whether its vCPUs run, QEMU's run state, and the host threads of the
/// vCPUs, from which domusd reads CPU time and whether a vCPU is on a CPU right now.
/// </summary>
public sealed record DeviceModelStatus(bool Running, string RunState, IReadOnlyList<int> VcpuThreads);
