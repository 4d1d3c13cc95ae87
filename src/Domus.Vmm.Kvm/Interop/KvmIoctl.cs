namespace Domus.Vmm.Kvm.Interop;

/// <summary>The request numbers of the KVM ioctls Domus uses (linux/kvm.h, x86-64), spelled out from _IO/_IOR/_IOW/_IOWR.</summary>
internal static class KvmIoctl
{
    private const uint Type = 0xAE;

    public static readonly nuint GetApiVersion = Io(0x00);
    public static readonly nuint CreateVm = Io(0x01);
    public static readonly nuint CheckExtension = Io(0x03);
    public static readonly nuint GetVcpuMmapSize = Io(0x04);
    public static readonly nuint GetSupportedCpuid = ReadWrite(0x05, 8);
    public static readonly nuint CreateVcpu = Io(0x41);
    public static readonly nuint SetUserMemoryRegion = Write(0x46, 32);
    public static readonly nuint SetTssAddr = Io(0x47);
    public static readonly nuint SetIdentityMapAddr = Write(0x48, 8);
    public static readonly nuint CreateIrqchip = Io(0x60);
    public static readonly nuint IrqLine = Write(0x61, 8);
    public static readonly nuint Irqfd = Write(0x76, 32);
    public static readonly nuint CreatePit2 = Write(0x77, 64);
    public static readonly nuint Ioeventfd = Write(0x79, 64);
    public static readonly nuint SignalMsi = Write(0xA5, 32);
    public static readonly nuint Run = Io(0x80);
    public static readonly nuint GetRegs = Read(0x81, 144);
    public static readonly nuint SetRegs = Write(0x82, 144);
    public static readonly nuint GetSregs = Read(0x83, 312);
    public static readonly nuint SetSregs = Write(0x84, 312);
    public static readonly nuint SetMsrs = Write(0x89, 8);
    public static readonly nuint SetCpuid2 = Write(0x90, 8);
    public static readonly nuint GetLapic = Read(0x8E, KvmVcpu.LapicStateSize);
    public static readonly nuint SetLapic = Write(0x8F, KvmVcpu.LapicStateSize);

    private static nuint Io(uint number) => (Type << 8) | number;

    private static nuint Read(uint number, uint size) => (2u << 30) | (size << 16) | (Type << 8) | number;

    private static nuint Write(uint number, uint size) => (1u << 30) | (size << 16) | (Type << 8) | number;

    private static nuint ReadWrite(uint number, uint size) => (3u << 30) | (size << 16) | (Type << 8) | number;
}
