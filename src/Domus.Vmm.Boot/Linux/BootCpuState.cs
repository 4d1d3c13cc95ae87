namespace Domus.Vmm.Boot.Linux;

/// <summary>
/// The boot processor's state at a kernel's entry, free of any hypervisor's types: the mode, the entry point and
/// argument registers, and the descriptor table and page tables the loader built in guest memory. Segments are
/// flat (base 0, limit 4 GiB); CS is <see cref="CodeSelector"/> and every data segment <see cref="DataSelector"/>.
/// </summary>
public sealed record BootCpuState(CpuEntryMode Mode, ulong Entry, ulong Rsi, ulong Rbx, ulong Rsp, ulong GdtAddress, ushort GdtLimit, ulong PageTableRoot)
{
    public const ushort CodeSelector = 0x10, DataSelector = 0x18;
}
