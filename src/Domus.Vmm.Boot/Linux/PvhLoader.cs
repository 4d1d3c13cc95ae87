using System.Buffers.Binary;
using Domus.Vmm.Boot.Memory;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Boot.Linux;

/// <summary>
/// The PVH boot ABI (Xen's docs/misc/pvh.pandoc, as KVM VMMs use it): the ELF vmlinux's PT_LOAD segments go to
/// their physical addresses, and the processor enters at the address of the XEN_ELFNOTE_PHYS32_ENTRY note in 32-bit
/// protected mode without paging, EBX pointing at struct hvm_start_info (version 1: command line, modules, RSDP and
/// memory map).
/// </summary>
internal static class PvhLoader
{
    private const uint StartInfoMagic = 0x336E_C578;
    private const uint LoadSegment = 1, NoteSegment = 4, Phys32EntryNote = 18;

    public static BootCpuState Load(GuestMemory memory, LinuxBootSetup setup)
    {
        var elf = setup.Kernel;
        if (elf.Length < 64 || elf[4] != 2 || elf[5] != 1 || BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(18)) != 0x3E)
        {
            throw new KernelImageException("the ELF kernel is not a 64-bit little-endian x86-64 image");
        }

        var lowRamEnd = LinuxLoader.LowRamEnd(setup.MemoryMap);
        ulong? entry = null;
        ulong kernelEnd = 0;
        foreach (var segment in Segments(elf))
        {
            if (segment.Type == LoadSegment)
            {
                if (segment.PhysicalAddress < DirectBootLayout.OneMiB || segment.PhysicalAddress + segment.MemorySize > lowRamEnd)
                {
                    throw new KernelImageException($"the kernel's segment at {segment.PhysicalAddress:x} ({segment.MemorySize >> 20} MiB) does not fit the domain's memory below {lowRamEnd >> 20} MiB");
                }

                memory.Write(segment.PhysicalAddress, segment.File(elf));
                memory.GetSpan(segment.PhysicalAddress + segment.FileSize, checked((int)(segment.MemorySize - segment.FileSize))).Clear();
                kernelEnd = Math.Max(kernelEnd, segment.PhysicalAddress + segment.MemorySize);
            }
            else if (segment.Type == NoteSegment)
            {
                entry ??= FindEntry(segment.File(elf));
            }
        }

        if (entry is not { } start)
        {
            throw new KernelImageException("the ELF kernel has no PVH entry (XEN_ELFNOTE_PHYS32_ENTRY note); boot its bzImage instead");
        }

        var startInfo = new byte[0x38];
        BinaryPrimitives.WriteUInt32LittleEndian(startInfo, StartInfoMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(startInfo.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(startInfo.AsSpan(0x18), LinuxLoader.WriteCommandLine(memory, setup.CommandLine, DirectBootLayout.CommandLineLimit));
        BinaryPrimitives.WriteUInt64LittleEndian(startInfo.AsSpan(0x20), setup.RsdpAddress);
        if (setup.Initrd is { Length: > 0 } initrd)
        {
            var address = LinuxLoader.PlaceInitrd(memory, initrd, kernelEnd, lowRamEnd);
            var module = new byte[32];
            BinaryPrimitives.WriteUInt64LittleEndian(module, address);
            BinaryPrimitives.WriteUInt64LittleEndian(module.AsSpan(8), (ulong)initrd.Length);
            memory.Write(DirectBootLayout.PvhModules, module);
            BinaryPrimitives.WriteUInt32LittleEndian(startInfo.AsSpan(0x0C), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(startInfo.AsSpan(0x10), DirectBootLayout.PvhModules);
        }

        var map = new byte[setup.MemoryMap.Count * 24];
        for (var i = 0; i < setup.MemoryMap.Count; i++)
        {
            setup.MemoryMap[i].WriteTo(map.AsSpan(i * 24));
        }

        memory.Write(DirectBootLayout.PvhMemoryMap, map);
        BinaryPrimitives.WriteUInt64LittleEndian(startInfo.AsSpan(0x28), DirectBootLayout.PvhMemoryMap);
        BinaryPrimitives.WriteUInt32LittleEndian(startInfo.AsSpan(0x30), (uint)setup.MemoryMap.Count);
        memory.Write(DirectBootLayout.PvhStartInfo, startInfo);
        var gdtLimit = LinuxLoader.WriteGdt(memory, longMode: false);
        return new BootCpuState(CpuEntryMode.ProtectedMode, start, 0, DirectBootLayout.PvhStartInfo, DirectBootLayout.StackTop, DirectBootLayout.Gdt, gdtLimit, 0);
    }

    private static IEnumerable<ElfSegment> Segments(byte[] elf)
    {
        var table = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x20));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x36));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x38));
        if (entrySize < 56 || table + ((ulong)entrySize * count) > (ulong)elf.Length)
        {
            throw new KernelImageException("the ELF kernel's program header table is damaged");
        }

        for (var i = 0; i < count; i++)
        {
            var header = elf.AsSpan((int)table + (i * entrySize), 56);
            var segment = new ElfSegment(
                BinaryPrimitives.ReadUInt32LittleEndian(header),
                BinaryPrimitives.ReadUInt64LittleEndian(header[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[40..]));
            if (segment.Offset + segment.FileSize > (ulong)elf.Length || segment.FileSize > segment.MemorySize)
            {
                throw new KernelImageException($"the ELF kernel's segment {i} lies outside the file");
            }

            yield return segment;
        }
    }

    /// <summary>The PVH entry address from a note segment: name "Xen", type 18, a 32- or 64-bit address.</summary>
    private static ulong? FindEntry(ReadOnlySpan<byte> notes)
    {
        static int Align4(int value) => (value + 3) & ~3;
        while (notes.Length >= 12)
        {
            var nameSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes);
            var descriptionSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes[4..]);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(notes[8..]);
            var descriptionStart = 12 + Align4(nameSize);
            if (nameSize < 0 || descriptionSize < 0 || descriptionStart + descriptionSize > notes.Length)
            {
                return null;
            }

            if (type == Phys32EntryNote && notes.Slice(12, nameSize).SequenceEqual("Xen\0"u8))
            {
                var description = notes.Slice(descriptionStart, descriptionSize);
                return descriptionSize >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(description) : descriptionSize >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(description) : null;
            }

            notes = notes[(descriptionStart + Align4(descriptionSize))..];
        }

        return null;
    }

    private readonly record struct ElfSegment(uint Type, ulong Offset, ulong PhysicalAddress, ulong FileSize, ulong MemorySize)
    {
        public ReadOnlySpan<byte> File(byte[] elf) => elf.AsSpan((int)Offset, (int)FileSize);
    }
}
