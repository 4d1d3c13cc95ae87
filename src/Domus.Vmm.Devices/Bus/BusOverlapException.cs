namespace Domus.Vmm.Devices.Bus;

/// <summary>Two devices were wired to the same addresses: a mistake in the machine's layout, found at build time.</summary>
public sealed class BusOverlapException(BusRange range, BusRange existing)
    : Exception($"bus range {range} overlaps {existing}");
