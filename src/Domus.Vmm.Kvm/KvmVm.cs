using Domus.Vmm.Kvm.Abi;
using Domus.Vmm.Kvm.Interop;

namespace Domus.Vmm.Kvm;

/// <summary>A KVM virtual machine: its memory slots, in-kernel interrupt controllers and PIT, and its vCPUs.</summary>
public sealed class KvmVm : IDisposable
{
    private readonly KvmFileHandle _handle;
    private readonly int _vcpuMmapSize;

    internal KvmVm(KvmFileHandle handle, int vcpuMmapSize)
    {
        _handle = handle;
        _vcpuMmapSize = vcpuMmapSize;
    }

    /// <summary>Backs guest-physical <paramref name="guestAddress"/> with the VMM's memory at <paramref name="hostAddress"/>.</summary>
    public unsafe void SetUserMemoryRegion(uint slot, ulong guestAddress, ulong size, nint hostAddress, bool readOnly = false)
    {
        var region = new KvmUserspaceMemoryRegion
        {
            Slot = slot,
            Flags = readOnly ? KvmUserspaceMemoryRegion.ReadOnly : 0,
            GuestPhysAddr = guestAddress,
            MemorySize = size,
            UserspaceAddr = (ulong)hostAddress,
        };
        Check(LibC.Ioctl(_handle, KvmIoctl.SetUserMemoryRegion, (nint)(&region)), $"KVM_SET_USER_MEMORY_REGION slot {slot} at {guestAddress:x}");
    }

    /// <summary>Three pages below 4 GiB that Intel VT needs for real-mode guests (the TSS).</summary>
    public void SetTssAddress(ulong address) => Check(LibC.Ioctl(_handle, KvmIoctl.SetTssAddr, (nint)address), "KVM_SET_TSS_ADDR");

    public unsafe void SetIdentityMapAddress(ulong address) =>
        Check(LibC.Ioctl(_handle, KvmIoctl.SetIdentityMapAddr, (nint)(&address)), "KVM_SET_IDENTITY_MAP_ADDR");

    /// <summary>The in-kernel PIC pair, IOAPIC and LAPICs.</summary>
    public void CreateIrqchip() => Check(LibC.Ioctl(_handle, KvmIoctl.CreateIrqchip, 0), "KVM_CREATE_IRQCHIP");

    /// <summary>The in-kernel 8254 PIT, with the speaker port.</summary>
    public unsafe void CreatePit()
    {
        var config = new KvmPitConfig { Flags = KvmPitConfig.SpeakerDummy };
        Check(LibC.Ioctl(_handle, KvmIoctl.CreatePit2, (nint)(&config)), "KVM_CREATE_PIT2");
    }

    /// <summary>Drives a GSI of the in-kernel irqchip (ISA IRQs 0-15 reach both the PIC and the IOAPIC).</summary>
    public unsafe void SetIrqLine(uint gsi, bool asserted)
    {
        var level = new KvmIrqLevel { Irq = gsi, Level = asserted ? 1u : 0u };
        Check(LibC.Ioctl(_handle, KvmIoctl.IrqLine, (nint)(&level)), $"KVM_IRQ_LINE {gsi}");
    }

    public unsafe void SignalMsi(ulong address, uint data)
    {
        var msi = new KvmMsi { AddressLow = (uint)address, AddressHigh = (uint)(address >> 32), Data = data };
        if (LibC.Ioctl(_handle, KvmIoctl.SignalMsi, (nint)(&msi)) < 0)
        {
            throw KvmException.Last("KVM_SIGNAL_MSI");
        }
    }

    /// <summary>
    /// Makes a guest write of <paramref name="length"/> bytes to <paramref name="address"/> (a port when
    /// <paramref name="port"/>), of <paramref name="match"/> when one is given, signal <paramref name="eventFd"/> inside
    /// KVM: the vCPU goes on without an exit, and whoever waits on the eventfd does the work.
    /// </summary>
    public void AddIoEventFd(EventFd eventFd, ulong address, uint length, bool port, ulong? match) =>
        IoEventFd(eventFd, address, length, port, match, 0, "add");

    /// <summary>Undoes <see cref="AddIoEventFd"/>, given the same arguments.</summary>
    public void RemoveIoEventFd(EventFd eventFd, ulong address, uint length, bool port, ulong? match) =>
        IoEventFd(eventFd, address, length, port, match, KvmIoeventfd.Deassign, "remove");

    /// <summary>Makes each signal of <paramref name="eventFd"/> an edge on <paramref name="gsi"/> of the in-kernel irqchip, for as long as the VM lives.</summary>
    public unsafe void AddIrqFd(EventFd eventFd, uint gsi)
    {
        var request = new KvmIrqfd { Fd = (uint)eventFd.Descriptor, Gsi = gsi };
        Check(LibC.Ioctl(_handle, KvmIoctl.Irqfd, (nint)(&request)), $"KVM_IRQFD GSI {gsi}");
    }

    public KvmVcpu CreateVcpu(int id)
    {
        var fd = LibC.Ioctl(_handle, KvmIoctl.CreateVcpu, id);
        return fd >= 0 ? new KvmVcpu(id, new KvmFileHandle(fd), _vcpuMmapSize) : throw KvmException.Last($"KVM_CREATE_VCPU {id}");
    }

    private unsafe void IoEventFd(EventFd eventFd, ulong address, uint length, bool port, ulong? match, uint flags, string verb)
    {
        var request = new KvmIoeventfd
        {
            Datamatch = match ?? 0,
            Address = address,
            Length = length,
            Fd = eventFd.Descriptor,
            Flags = flags | (port ? KvmIoeventfd.Pio : 0) | (match is null ? 0 : KvmIoeventfd.MatchData),
        };
        Check(LibC.Ioctl(_handle, KvmIoctl.Ioeventfd, (nint)(&request)), $"KVM_IOEVENTFD {verb} {(port ? "port" : "address")} {address:x}");
    }

    private static void Check(int result, string operation)
    {
        if (result < 0)
        {
            throw KvmException.Last(operation);
        }
    }

    public void Dispose() => _handle.Dispose();
}
