using System.Buffers.Binary;
using System.Text;
using Domus.Vmm.Boot.Memory;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Boot.Linux;

/// <summary>
/// Loads a Linux kernel straight into guest memory, without firmware: a bzImage through the 64-bit boot protocol
/// (Documentation/arch/x86/boot.rst), or an ELF vmlinux through its PVH entry (the Xen PVH ELF note), with the
/// initrd at the top of low memory, the command line, the e820 map and the ACPI RSDP address handed over as each
/// protocol has it. Returns the processor state to enter the kernel with.
/// </summary>
public static class LinuxLoader
{
    private const ulong PageSize = 0x1000;

    public static BootCpuState Load(GuestMemory memory, LinuxBootSetup setup)
    {
        var kernel = setup.Kernel;
        if (kernel.Length >= 4 && kernel.AsSpan(0, 4).SequenceEqual("\u007FELF"u8))
        {
            return PvhLoader.Load(memory, setup);
        }

        if (kernel.Length > 0x206 && kernel.AsSpan(0x202, 4).SequenceEqual("HdrS"u8))
        {
            return BzImageLoader.Load(memory, setup);
        }

        throw new KernelImageException("the kernel is neither a bzImage (no 'HdrS' boot header) nor an ELF vmlinux");
    }

    /// <summary>The end of the RAM that starts at 1 MiB: kernels, initrds and their tables must fit below it.</summary>
    internal static ulong LowRamEnd(IReadOnlyList<E820Entry> map) =>
        map.FirstOrDefault(e => e.Type == E820Type.Ram && e.Address <= DirectBootLayout.OneMiB && e.Address + e.Length > DirectBootLayout.OneMiB) is { Length: > 0 } ram
            ? ram.Address + ram.Length
            : throw new KernelImageException("the machine has no RAM above 1 MiB to load a kernel into");

    /// <summary>Writes the NUL-terminated command line and returns its address.</summary>
    internal static ulong WriteCommandLine(GuestMemory memory, string commandLine, ulong limit)
    {
        var bytes = Encoding.UTF8.GetBytes(commandLine + "\0");
        if ((ulong)bytes.Length > limit)
        {
            throw new KernelImageException($"the command line is {bytes.Length - 1} bytes; this kernel takes at most {limit - 1}");
        }

        memory.Write(DirectBootLayout.CommandLine, bytes);
        return DirectBootLayout.CommandLine;
    }

    /// <summary>Puts the initrd at the top of low memory below <paramref name="ceiling"/>, page-aligned, above <paramref name="floor"/>.</summary>
    internal static ulong PlaceInitrd(GuestMemory memory, byte[] initrd, ulong floor, ulong ceiling)
    {
        if ((ulong)initrd.Length > ceiling)
        {
            throw new KernelImageException($"the initrd ({initrd.Length} bytes) does not fit below {ceiling:x}");
        }

        var address = (ceiling - (ulong)initrd.Length) & ~(PageSize - 1);
        if (address < floor)
        {
            throw new KernelImageException($"memory is too small for the kernel and an initrd of {initrd.Length >> 20} MiB");
        }

        memory.Write(address, initrd);
        return address;
    }

    /// <summary>A GDT with flat code (0x10, 64-bit or 32-bit) and data (0x18) segments; returns its limit.</summary>
    internal static ushort WriteGdt(GuestMemory memory, bool longMode)
    {
        ulong[] gdt = [0, 0, longMode ? 0x00AF_9B00_0000_FFFFUL : 0x00CF_9B00_0000_FFFFUL, 0x00CF_9300_0000_FFFFUL];
        var bytes = new byte[gdt.Length * 8];
        for (var i = 0; i < gdt.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), gdt[i]);
        }

        memory.Write(DirectBootLayout.Gdt, bytes);
        return (ushort)(bytes.Length - 1);
    }

    /// <summary>Identity-maps the first 4 GiB with 2 MiB pages: enough for every address a kernel is entered with.</summary>
    internal static void WriteIdentityPageTables(GuestMemory memory)
    {
        const ulong presentWritable = 0x3, largePage = 0x80;
        memory.Write(DirectBootLayout.Pml4, DirectBootLayout.Pdpt | presentWritable);
        for (ulong directory = 0; directory < 4; directory++)
        {
            var table = DirectBootLayout.PageDirectories + (directory * PageSize);
            memory.Write(DirectBootLayout.Pdpt + (directory * 8), table | presentWritable);
            var entries = new byte[PageSize];
            for (ulong entry = 0; entry < 512; entry++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(entries.AsSpan((int)(entry * 8)), (((directory * 512) + entry) << 21) | presentWritable | largePage);
            }

            memory.Write(table, entries);
        }
    }
}
