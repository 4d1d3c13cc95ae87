using System.Buffers.Binary;
using System.Text;
using Domus.Vmm.Boot.Linux;
using Domus.Vmm.Boot.Memory;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Boot.Tests.Linux;

/// <summary>The loaders against guest memory (no KVM needed), with kernels built to the letter of each protocol.</summary>
public sealed class LinuxLoaderTests : IDisposable
{
    private const ulong MemorySize = 64 << 20;
    private const ulong Rsdp = 0xE0000;
    private readonly GuestMemory _memory = new();
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("the protected-mode kernel");
    private static readonly byte[] Initrd = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

    private static readonly E820Entry[] Map =
    [
        new(0, 0x9FC00, E820Type.Ram),
        new(0x9FC00, 0x100000 - 0x9FC00, E820Type.Reserved),
        new(0x100000, MemorySize - 0x100000, E820Type.Ram),
    ];

    public LinuxLoaderTests() => _memory.Add(0, MemorySize);

    /// <summary>A bzImage: boot sector, one setup sector with the header, the payload after them.</summary>
    private static byte[] BzImage(ushort version = 0x020F, ushort xloadflags = 1, uint initSize = 0x10_0000)
    {
        var image = new byte[1024 + Payload.Length];
        image[0x1F1] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x1FE), 0xAA55);
        image[0x201] = 0x6A;
        "HdrS"u8.CopyTo(image.AsSpan(0x202));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x206), version);
        image[0x211] = 0x01;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x22C), 0x7FFF_FFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x236), xloadflags);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x238), 2047);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x260), initSize);
        Payload.CopyTo(image, 1024);
        return image;
    }

    /// <summary>An ELF64 vmlinux: a PT_LOAD with a .bss tail at 2 MiB and, unless left out, the PVH entry note.</summary>
    private static byte[] Vmlinux(bool withNote = true)
    {
        var elf = new byte[0x300];
        "\u007FELF"u8.CopyTo(elf);
        elf[4] = 2;
        elf[5] = 1;
        elf[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(18), 0x3E);
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(0x20), 0x40);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x36), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x38), 2);
        void Segment(int index, uint type, ulong offset, ulong address, ulong fileSize, ulong memorySize)
        {
            var header = elf.AsSpan(0x40 + (index * 56), 56);
            BinaryPrimitives.WriteUInt32LittleEndian(header, type);
            BinaryPrimitives.WriteUInt64LittleEndian(header[8..], offset);
            BinaryPrimitives.WriteUInt64LittleEndian(header[16..], 0xFFFF_FFFF_8000_0000 + address);
            BinaryPrimitives.WriteUInt64LittleEndian(header[24..], address);
            BinaryPrimitives.WriteUInt64LittleEndian(header[32..], fileSize);
            BinaryPrimitives.WriteUInt64LittleEndian(header[40..], memorySize);
        }

        Segment(0, 1, 0x200, 0x20_0000, (ulong)Payload.Length, 0x1000);
        Payload.CopyTo(elf, 0x200);
        Segment(1, 4, 0x100, 0, 0x40, 0x40);
        var note = elf.AsSpan(0x100);
        BinaryPrimitives.WriteUInt32LittleEndian(note, 6); // "Linux" note first, to be skipped
        BinaryPrimitives.WriteUInt32LittleEndian(note[4..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(note[8..], 6);
        "Linux\0"u8.CopyTo(note[12..]);
        var xen = note[24..];
        BinaryPrimitives.WriteUInt32LittleEndian(xen, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(xen[4..], 8);
        BinaryPrimitives.WriteUInt32LittleEndian(xen[8..], withNote ? 18u : 17u);
        "Xen\0"u8.CopyTo(xen[12..]);
        BinaryPrimitives.WriteUInt64LittleEndian(xen[16..], 0x20_0010);
        return elf;
    }

    private BootCpuState Load(byte[] kernel, string commandLine = "console=ttyS0 root=/dev/sda1") =>
        LinuxLoader.Load(_memory, new LinuxBootSetup { Kernel = kernel, Initrd = Initrd, CommandLine = commandLine, MemoryMap = Map, RsdpAddress = Rsdp });

    private string ReadString(ulong address)
    {
        var bytes = _memory.GetSpan(address, 4096);
        return Encoding.ASCII.GetString(bytes[..bytes.IndexOf((byte)0)]);
    }

    [Fact]
    public void ABzImageIsEnteredInLongModeWithItsBootParams()
    {
        var state = Load(BzImage());
        Assert.Equal(CpuEntryMode.LongMode, state.Mode);
        Assert.Equal(0x10_0200UL, state.Entry);
        Assert.Equal(DirectBootLayout.BootParams, state.Rsi);
        Assert.Equal(Payload, _memory.GetSpan(0x10_0000, Payload.Length).ToArray());

        var bootParams = _memory.GetSpan(DirectBootLayout.BootParams, 4096);
        Assert.Equal("HdrS", Encoding.ASCII.GetString(bootParams.Slice(0x202, 4)));
        Assert.Equal(0xFF, bootParams[0x210]);
        Assert.Equal("console=ttyS0 root=/dev/sda1", ReadString(BinaryPrimitives.ReadUInt32LittleEndian(bootParams[0x228..])));
        var initrd = BinaryPrimitives.ReadUInt32LittleEndian(bootParams[0x218..]);
        Assert.Equal((MemorySize - (ulong)Initrd.Length) & ~0xFFFUL, initrd);
        Assert.Equal((uint)Initrd.Length, BinaryPrimitives.ReadUInt32LittleEndian(bootParams[0x21C..]));
        Assert.Equal(Initrd, _memory.GetSpan(initrd, Initrd.Length).ToArray());
        Assert.Equal(3, bootParams[0x1E8]);
        Assert.Equal(0x10_0000UL, BinaryPrimitives.ReadUInt64LittleEndian(bootParams[(0x2D0 + 40)..]));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bootParams[(0x2D0 + 56)..]));
        Assert.Equal(Rsdp, BinaryPrimitives.ReadUInt64LittleEndian(bootParams[0x70..]));
    }

    [Fact]
    public void LongModeEntryHasAFlatGdtAndIdentityMappedMemory()
    {
        var state = Load(BzImage());
        Assert.Equal(DirectBootLayout.Pml4, state.PageTableRoot);
        Assert.Equal(0x00AF_9B00_0000_FFFFUL, _memory.Read<ulong>(state.GdtAddress + BootCpuState.CodeSelector));
        Assert.Equal(0x00CF_9300_0000_FFFFUL, _memory.Read<ulong>(state.GdtAddress + BootCpuState.DataSelector));
        ulong Translate(ulong address)
        {
            var pdpt = _memory.Read<ulong>(state.PageTableRoot) & ~0xFFFUL;
            var directory = _memory.Read<ulong>(pdpt + ((address >> 30) * 8)) & ~0xFFFUL;
            var entry = _memory.Read<ulong>(directory + (((address >> 21) & 0x1FF) * 8));
            Assert.Equal(0x83UL, entry & 0x83);
            return (entry & ~0x1F_FFFFUL) | (address & 0x1F_FFFF);
        }

        foreach (var address in new ulong[] { 0x10_0200, DirectBootLayout.BootParams, 0x3FFF_FFFF, 0xFEE0_0000, 0xFFFF_FFF0 })
        {
            Assert.Equal(address, Translate(address));
        }
    }

    [Fact]
    public void KernelsWithoutA64BitEntryOrRoomAreRefusedWithTheReason()
    {
        Assert.Contains("2.12", Assert.Throws<KernelImageException>(() => Load(BzImage(version: 0x020A))).Message, StringComparison.Ordinal);
        Assert.Contains("XLF_KERNEL_64", Assert.Throws<KernelImageException>(() => Load(BzImage(xloadflags: 0))).Message, StringComparison.Ordinal);
        Assert.Contains("MiB of memory", Assert.Throws<KernelImageException>(() => Load(BzImage(initSize: 0x800_0000))).Message, StringComparison.Ordinal);
        Assert.Contains("at most 2047", Assert.Throws<KernelImageException>(() => Load(BzImage(), new string('x', 3000))).Message, StringComparison.Ordinal);
        Assert.Contains("neither", Assert.Throws<KernelImageException>(() => Load(new byte[4096])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVmlinuxIsEnteredThroughItsPvhNoteWithStartInfo()
    {
        _memory.GetSpan(0x20_0000, 0x1000).Fill(0xCC);
        var state = Load(Vmlinux());
        Assert.Equal(CpuEntryMode.ProtectedMode, state.Mode);
        Assert.Equal(0x20_0010UL, state.Entry);
        Assert.Equal(DirectBootLayout.PvhStartInfo, state.Rbx);
        Assert.Equal(0x00CF_9B00_0000_FFFFUL, _memory.Read<ulong>(state.GdtAddress + BootCpuState.CodeSelector));
        Assert.Equal(Payload, _memory.GetSpan(0x20_0000, Payload.Length).ToArray());
        Assert.All(_memory.GetSpan(0x20_0000 + (ulong)Payload.Length, 0x1000 - Payload.Length).ToArray(), b => Assert.Equal(0, b));

        var info = _memory.GetSpan(DirectBootLayout.PvhStartInfo, 0x38);
        Assert.Equal(0x336E_C578u, BinaryPrimitives.ReadUInt32LittleEndian(info));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(info[4..]));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(info[0x0C..]));
        var module = _memory.GetSpan(BinaryPrimitives.ReadUInt64LittleEndian(info[0x10..]), 16);
        Assert.Equal(Initrd, _memory.GetSpan(BinaryPrimitives.ReadUInt64LittleEndian(module), Initrd.Length).ToArray());
        Assert.Equal((ulong)Initrd.Length, BinaryPrimitives.ReadUInt64LittleEndian(module[8..]));
        Assert.Equal("console=ttyS0 root=/dev/sda1", ReadString(BinaryPrimitives.ReadUInt64LittleEndian(info[0x18..])));
        Assert.Equal(Rsdp, BinaryPrimitives.ReadUInt64LittleEndian(info[0x20..]));
        var map = BinaryPrimitives.ReadUInt64LittleEndian(info[0x28..]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(info[0x30..]));
        Assert.Equal(0x9FC00UL, _memory.Read<ulong>(map + 24));
        Assert.Equal(2u, _memory.Read<uint>(map + 24 + 16));
    }

    [Fact]
    public void AVmlinuxWithoutThePvhNoteIsRefused()
    {
        var error = Assert.Throws<KernelImageException>(() => Load(Vmlinux(withNote: false)));
        Assert.Contains("PVH", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _memory.Dispose();
}
