using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Kvm;
using Domus.Vmm.Kvm.Abi;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Machine;

/// <summary>
/// A KVM virtual machine with its guest memory, I/O buses and vCPUs, each vCPU on a thread of its own. The
/// machine runs until a vCPU stops it: the guest powers off or resets, or does something the VMM cannot
/// continue from, which ends the machine as crashed with the failing RIP and instruction bytes. A guest's
/// I/O to nothing reads all ones and is otherwise ignored.
/// </summary>
public sealed class VirtualMachine : IDisposable
{
    private readonly KvmSystem _kvm;
    private readonly KvmVm _vm;
    private readonly List<KvmVcpu> _vcpus = [];
    private readonly TaskCompletionSource<MachineStopReason> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _nextSlot;

    public VirtualMachine(MachineOptions options)
    {
        Options = options;
        _kvm = KvmSystem.Open();
        try
        {
            _vm = _kvm.CreateVm();
            _vm.SetIdentityMapAddress(PlatformLayout.IdentityMapAddress);
            _vm.SetTssAddress(PlatformLayout.TssAddress);
            if (options.Irqchip)
            {
                _vm.CreateIrqchip();
                _vm.CreatePit();
            }

            AddRam(options.MemoryBytes);
            var cpuid = _kvm.SupportedCpuid();
            for (var i = 0; i < options.Vcpus; i++)
            {
                var vcpu = _vm.CreateVcpu(i);
                vcpu.SetCpuid(cpuid);
                _vcpus.Add(vcpu);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public MachineOptions Options { get; }

    public GuestMemory Memory { get; } = new();

    public AddressBus<IPortIoDevice> Ports { get; } = new();

    public AddressBus<IMmioDevice> Mmio { get; } = new();

    public IReadOnlyList<KvmVcpu> Vcpus => _vcpus;

    /// <summary>The interrupt line of a GSI; without the in-kernel irqchip there is nothing to wire it to.</summary>
    public IInterruptLine InterruptLine(uint gsi) => Options.Irqchip ? new KvmInterruptLine(_vm, gsi) : UnwiredInterruptLine.Instance;

    /// <summary>Maps firmware as ROM ending at <paramref name="end"/> (the reset vector sits just below 4 GiB).</summary>
    public void AddRom(ulong end, ReadOnlySpan<byte> image)
    {
        var size = ((ulong)image.Length + GuestMemory.PageSize - 1) / GuestMemory.PageSize * GuestMemory.PageSize;
        var region = Memory.AddRom(end - size, image);
        _vm.SetUserMemoryRegion(_nextSlot++, region.GuestAddress, region.Size, region.HostAddress, readOnly: true);
    }

    /// <summary>Stops the machine (from a device, or from outside); the first reason given wins.</summary>
    public void Stop(MachineStopReason reason) => _stopped.TrySetResult(reason);

    /// <summary>Runs every vCPU until the machine stops, and says why it did.</summary>
    public async Task<MachineStopReason> RunAsync(CancellationToken cancellationToken)
    {
        var threads = _vcpus.Select(vcpu => new Thread(() => RunVcpu(vcpu)) { IsBackground = true, Name = $"vcpu{vcpu.Id}" }).ToList();
        threads.ForEach(t => t.Start());
        using var registration = cancellationToken.Register(() => Stop(new MachineStopReason(MachineStopKind.Stopped, "stopped from outside")));
        return await _stopped.Task;
    }

    private void AddRam(ulong bytes)
    {
        var low = Math.Min(bytes, PlatformLayout.LowMemoryEnd);
        var region = Memory.Add(0, low);
        _vm.SetUserMemoryRegion(_nextSlot++, 0, low, region.HostAddress);
        if (bytes > low)
        {
            var high = Memory.Add(PlatformLayout.HighMemoryStart, bytes - low);
            _vm.SetUserMemoryRegion(_nextSlot++, high.GuestAddress, high.Size, high.HostAddress);
        }
    }

    private void RunVcpu(KvmVcpu vcpu)
    {
        try
        {
            while (!_stopped.Task.IsCompleted)
            {
                var exit = vcpu.Run();
                if (HandleExit(vcpu, exit) is { } stop)
                {
                    Stop(stop);
                }
            }
        }
        catch (KvmException e)
        {
            Stop(new MachineStopReason(MachineStopKind.Crashed, $"vCPU {vcpu.Id}: {e.Message}"));
        }
    }

    private MachineStopReason? HandleExit(KvmVcpu vcpu, KvmExitReason exit)
    {
        switch (exit)
        {
            case KvmExitReason.Io:
                HandlePortIo(vcpu);
                return null;
            case KvmExitReason.Mmio:
                HandleMmio(vcpu);
                return null;
            case KvmExitReason.Interrupted or KvmExitReason.IrqWindowOpen:
                return null;
            case KvmExitReason.Hlt:
                // Only without the in-kernel irqchip: nothing can wake the vCPU, so the guest is done.
                return new MachineStopReason(MachineStopKind.Stopped, $"vCPU {vcpu.Id} halted");
            case KvmExitReason.SystemEvent:
                return vcpu.SystemEventType switch
                {
                    1 => new MachineStopReason(MachineStopKind.PoweredOff, "the guest powered off"),
                    2 => new MachineStopReason(MachineStopKind.Reset, "the guest reset"),
                    _ => Crash(vcpu, $"system event {vcpu.SystemEventType}"),
                };
            case KvmExitReason.Shutdown:
                return Crash(vcpu, "triple fault");
            case KvmExitReason.FailEntry:
                return Crash(vcpu, $"VM entry failed (hardware reason {vcpu.FailEntryReason:x})");
            case KvmExitReason.InternalError:
                return Crash(vcpu, $"KVM internal error {vcpu.InternalErrorSuberror}{(vcpu.InternalErrorSuberror == 1 ? " (emulation failure)" : string.Empty)}");
            default:
                return Crash(vcpu, $"unexpected exit {exit}");
        }
    }

    private void HandlePortIo(KvmVcpu vcpu)
    {
        var io = vcpu.Io;
        var data = vcpu.IoData;
        for (var i = 0; i < io.Count && (i + 1) * io.Size <= data.Length; i++)
        {
            var element = data.Slice(i * io.Size, io.Size);
            if (!Ports.TryResolve(io.Port, io.Size, out var device, out var offset))
            {
                if (!io.IsWrite)
                {
                    element.Fill(0xFF);
                }

                continue;
            }

            if (io.IsWrite)
            {
                device.Write((ushort)offset, element);
            }
            else
            {
                device.Read((ushort)offset, element);
            }
        }
    }

    private void HandleMmio(KvmVcpu vcpu)
    {
        var mmio = vcpu.Mmio;
        var data = vcpu.MmioData;
        if (!Mmio.TryResolve(mmio.Address, mmio.Length, out var device, out var offset))
        {
            if (!mmio.IsWrite)
            {
                data.Clear();
            }

            return;
        }

        if (mmio.IsWrite)
        {
            device.Write(offset, data);
        }
        else
        {
            device.Read(offset, data);
        }
    }

    /// <summary>A crash, described by the vCPU's RIP and the bytes it was executing (when they lie in RAM).</summary>
    private MachineStopReason Crash(KvmVcpu vcpu, string what)
    {
        try
        {
            var regs = vcpu.GetRegs();
            var sregs = vcpu.GetSregs();
            var pagingOn = (sregs.Cr0 & 0x8000_0000) != 0;
            var linear = sregs.Cs.Base + regs.Rip;
            var bytes = !pagingOn && Memory.IsRam(linear, 16) ? Convert.ToHexString(Memory.GetSpan(linear, 16)) : "unreadable";
            return new MachineStopReason(MachineStopKind.Crashed, $"vCPU {vcpu.Id}: {what} at RIP {regs.Rip:x} (CS base {sregs.Cs.Base:x}), bytes {bytes}");
        }
        catch (KvmException e)
        {
            return new MachineStopReason(MachineStopKind.Crashed, $"vCPU {vcpu.Id}: {what} ({e.Message})");
        }
    }

    public void Dispose()
    {
        foreach (var vcpu in _vcpus)
        {
            vcpu.Dispose();
        }

        _vm?.Dispose();
        _kvm.Dispose();
        Memory.Dispose();
    }
}
