namespace Domus.Vmm.Boot.Linux;

/// <summary>The processor mode a kernel is entered in.</summary>
public enum CpuEntryMode
{
    /// <summary>The 64-bit boot protocol: long mode with paging, RSI pointing at boot_params.</summary>
    LongMode,

    /// <summary>The PVH entry: 32-bit protected mode without paging, EBX pointing at hvm_start_info.</summary>
    ProtectedMode,
}
