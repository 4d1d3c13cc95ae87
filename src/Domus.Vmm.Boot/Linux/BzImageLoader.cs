using System.Buffers.Binary;
using Domus.Vmm.Boot.Memory;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Boot.Linux;

/// <summary>
/// The x86 64-bit boot protocol: the bzImage's setup header is copied into a zeroed boot_params ("zero page"), the
/// loader fills in its own fields (type, command line, initrd, e820 map, RSDP), the protected-mode kernel goes to
/// 1 MiB, and the processor enters it at offset 0x200 in long mode with RSI pointing at boot_params.
/// </summary>
internal static class BzImageLoader
{
    private const int SetupSectors = 0x1F1, BootFlag = 0x1FE, JumpOffset = 0x201, Version = 0x206, TypeOfLoader = 0x210;
    private const int RamdiskImage = 0x218, RamdiskSize = 0x21C, CommandLinePointer = 0x228, InitrdAddressMax = 0x22C;
    private const int XLoadFlags = 0x236, CommandLineSize = 0x238, InitSize = 0x260;
    private const int AcpiRsdpAddress = 0x070, ExtRamdiskImage = 0x0C0, ExtRamdiskSize = 0x0C4, ExtCommandLinePointer = 0x0C8;
    private const int E820Entries = 0x1E8, E820Table = 0x2D0, E820MaxEntries = 128;
    private const ushort MinimumVersion = 0x020C, RsdpVersion = 0x020E;
    private const int Kernel64 = 0x1;

    public static BootCpuState Load(GuestMemory memory, LinuxBootSetup setup)
    {
        var image = setup.Kernel;
        var version = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(Version));
        if (BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(BootFlag)) != 0xAA55)
        {
            throw new KernelImageException("the bzImage has no boot sector signature");
        }

        if (version < MinimumVersion || (BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(XLoadFlags)) & Kernel64) == 0)
        {
            throw new KernelImageException($"the kernel's boot protocol {version >> 8}.{version & 0xFF} has no 64-bit entry (2.12 and XLF_KERNEL_64 are needed)");
        }

        var setupSectors = image[SetupSectors] == 0 ? 4 : image[SetupSectors];
        var payloadOffset = (setupSectors + 1) * 512;
        if (payloadOffset >= image.Length)
        {
            throw new KernelImageException("the bzImage is truncated: it ends inside its setup code");
        }

        var payload = image.AsSpan(payloadOffset);
        var lowRamEnd = LinuxLoader.LowRamEnd(setup.MemoryMap);
        var kernelEnd = DirectBootLayout.KernelAddress + Math.Max((ulong)payload.Length, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(InitSize)));
        if (kernelEnd > lowRamEnd)
        {
            throw new KernelImageException($"the kernel needs {kernelEnd >> 20} MiB of memory to start; the domain has less below {lowRamEnd >> 20} MiB");
        }

        memory.Write(DirectBootLayout.KernelAddress, payload);

        var bootParams = new byte[4096];
        var headerEnd = Math.Min(0x202 + image[JumpOffset], bootParams.Length);
        image.AsSpan(SetupSectors, headerEnd - SetupSectors).CopyTo(bootParams.AsSpan(SetupSectors));
        bootParams[TypeOfLoader] = 0xFF;

        var commandLineLimit = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(CommandLineSize)) + 1UL, DirectBootLayout.CommandLineLimit);
        var commandLine = LinuxLoader.WriteCommandLine(memory, setup.CommandLine, commandLineLimit);
        BinaryPrimitives.WriteUInt32LittleEndian(bootParams.AsSpan(CommandLinePointer), (uint)commandLine);
        BinaryPrimitives.WriteUInt32LittleEndian(bootParams.AsSpan(ExtCommandLinePointer), (uint)(commandLine >> 32));

        if (setup.Initrd is { Length: > 0 } initrd)
        {
            var ceiling = Math.Min(lowRamEnd, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(InitrdAddressMax)) + 1UL);
            var address = LinuxLoader.PlaceInitrd(memory, initrd, kernelEnd, ceiling);
            BinaryPrimitives.WriteUInt32LittleEndian(bootParams.AsSpan(RamdiskImage), (uint)address);
            BinaryPrimitives.WriteUInt32LittleEndian(bootParams.AsSpan(ExtRamdiskImage), (uint)(address >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(bootParams.AsSpan(RamdiskSize), (uint)initrd.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(bootParams.AsSpan(ExtRamdiskSize), 0);
        }

        if (setup.MemoryMap.Count > E820MaxEntries)
        {
            throw new KernelImageException($"the memory map has {setup.MemoryMap.Count} entries; boot_params holds {E820MaxEntries}");
        }

        bootParams[E820Entries] = (byte)setup.MemoryMap.Count;
        for (var i = 0; i < setup.MemoryMap.Count; i++)
        {
            setup.MemoryMap[i].WriteTo(bootParams.AsSpan(E820Table + (i * E820Entry.Size)));
        }

        if (version >= RsdpVersion)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bootParams.AsSpan(AcpiRsdpAddress), setup.RsdpAddress);
        }

        memory.Write(DirectBootLayout.BootParams, bootParams);
        var gdtLimit = LinuxLoader.WriteGdt(memory, longMode: true);
        LinuxLoader.WriteIdentityPageTables(memory);
        return new BootCpuState(CpuEntryMode.LongMode, DirectBootLayout.KernelAddress + 0x200, DirectBootLayout.BootParams, 0, DirectBootLayout.StackTop, DirectBootLayout.Gdt, gdtLimit, DirectBootLayout.Pml4);
    }
}
