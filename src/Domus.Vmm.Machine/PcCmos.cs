using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Devices.Platform;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Machine;

/// <summary>
/// The CMOS clock with the NVRAM bytes SeaBIOS reads on a QEMU-style PC: base, extended and high memory sizes,
/// the CPU count, the disks' CHS translation and the boot order.
/// </summary>
public static class PcCmos
{
    private const ulong OneMiB = 0x10_0000, SixteenMiB = 0x100_0000;

    public static CmosRtc Create(MachineOptions options, string bootOrder, PcPeripherals peripherals, IInterruptLine interrupt)
    {
        var cmos = new CmosRtc(peripherals.Clock, peripherals.ClockOffset, interrupt);
        var low = Math.Min(options.MemoryBytes, PlatformLayout.LowMemoryEnd);
        var high = options.MemoryBytes - low;
        void Word(byte index, ulong value)
        {
            cmos.SetByte(index, (byte)value);
            cmos.SetByte((byte)(index + 1), (byte)(value >> 8));
        }

        Word(0x15, 640);
        var extendedKiB = Math.Min((low - OneMiB) / 1024, 0xFFFF);
        Word(0x17, extendedKiB);
        Word(0x30, extendedKiB);
        Word(0x34, low > SixteenMiB ? Math.Min((low - SixteenMiB) >> 16, 0xFFFF) : 0);
        var high64k = high >> 16;
        cmos.SetByte(0x5B, (byte)high64k);
        cmos.SetByte(0x5C, (byte)(high64k >> 8));
        cmos.SetByte(0x5D, (byte)(high64k >> 16));
        cmos.SetByte(0x5F, (byte)(options.Vcpus - 1));
        cmos.SetByte(0x39, DiskTranslation(peripherals.IdeDrives));
        var (first, second, third) = BootDevices(bootOrder);
        cmos.SetByte(0x3D, (byte)(first | (second << 4)));
        cmos.SetByte(0x38, (byte)(third << 4));
        return cmos;
    }

    /// <summary>
    /// Byte 0x39, as QEMU fills it for SeaBIOS: two bits per IDE disk, LBA translation (1) for disks whose
    /// geometry does not fit the BIOS' 1024 cylinders and 16 heads, none (0) otherwise.
    /// </summary>
    private static byte DiskTranslation(IReadOnlyList<AtaDevice?> drives)
    {
        var translation = 0;
        for (var i = 0; i < drives.Count; i++)
        {
            if (drives[i] is AtaDisk { Geometry: var g } && (g.Cylinders > 1024 || g.Heads > 16 || g.SectorsPerTrack > 63))
            {
                translation |= 1 << (2 * i);
            }
        }

        return (byte)translation;
    }

    /// <summary>The first three letters of xm's boot order as the CMOS codes SeaBIOS reads: 1 floppy, 2 disk, 3 CD-ROM, 4 network.</summary>
    private static (int First, int Second, int Third) BootDevices(string order)
    {
        var codes = order.Select(letter => letter switch { 'a' => 1, 'c' => 2, 'd' => 3, 'n' => 4, _ => 0 }).Where(code => code != 0).Take(3).ToList();
        codes.AddRange(Enumerable.Repeat(0, 3 - codes.Count));
        return (codes[0], codes[1], codes[2]);
    }
}
