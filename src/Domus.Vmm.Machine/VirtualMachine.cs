using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Kvm;
using Domus.Vmm.Kvm.Abi;
using Domus.Vmm.Memory;

namespace Domus.Vmm.Machine;

/// <summary>
/// A KVM virtual machine with its guest memory, I/O buses and vCPUs, each vCPU on a thread of its own. The
/// machine runs until it is stopped: by the guest (power off, reset), from outside, or by something the VMM
/// cannot continue from, which ends the machine as crashed with the failing RIP and instruction bytes. It can be
/// paused and resumed; both, and stopping, kick the vCPU threads out of KVM_RUN. A guest's I/O to nothing
/// reads all ones and is otherwise ignored.
/// </summary>
public sealed class VirtualMachine : IDisposable
{
    private readonly KvmSystem _kvm;
    private readonly KvmVm _vm;
    private readonly List<KvmVcpu> _vcpus = [];
    private readonly TaskCompletionSource<MachineStopReason> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _pauseLock = new();
    private readonly List<Thread> _threads = [];
    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<IDoorbellDevice, PortDoorbell[]> _doorbells = [];
    private bool _paused;
    private int _parked;
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

            if (_kvm.CheckExtension(KvmSystem.CapabilityIoeventfd) > 0)
            {
                Ports.Placed += PlaceDoorbells;
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

    /// <summary>
    /// An eventfd whose every signal is an interrupt edge on <paramref name="gsi"/>, raised by KVM itself (an irqfd):
    /// for device code off the vCPU threads that only ever pulses its interrupt. It lives as long as the machine.
    /// </summary>
    public EventFd InterruptTrigger(uint gsi)
    {
        if (!Options.Irqchip)
        {
            throw new InvalidOperationException("an irqfd needs the in-kernel irqchip (MachineOptions.Irqchip)");
        }

        var trigger = Own(EventFd.Create());
        _vm.AddIrqFd(trigger, gsi);
        return trigger;
    }

    /// <summary>Maps firmware as ROM ending at <paramref name="end"/> (the reset vector sits just below 4 GiB).</summary>
    public void AddRom(ulong end, ReadOnlySpan<byte> image)
    {
        var size = ((ulong)image.Length + GuestMemory.PageSize - 1) / GuestMemory.PageSize * GuestMemory.PageSize;
        var region = Memory.AddRom(end - size, image);
        _vm.SetUserMemoryRegion(_nextSlot++, region.GuestAddress, region.Size, region.HostAddress, readOnly: true);
    }

    /// <summary>A memory slot for device memory at <paramref name="hostAddress"/> that the guest maps where it chooses (a PCI memory BAR).</summary>
    public MovableMemorySlot AddMovableSlot(nint hostAddress, ulong size)
    {
        var slot = _nextSlot++;
        return new MovableMemorySlot((guestAddress, length) => _vm.SetUserMemoryRegion(slot, guestAddress, length, hostAddress), size);
    }

    public bool IsPaused
    {
        get
        {
            lock (_pauseLock)
            {
                return _paused;
            }
        }
    }

    /// <summary>Stops the machine (from a device, or from outside); the first reason given wins.</summary>
    public void Stop(MachineStopReason reason)
    {
        if (_stopped.TrySetResult(reason))
        {
            lock (_pauseLock)
            {
                Monitor.PulseAll(_pauseLock);
            }

            KickAll();
        }
    }

    /// <summary>Stops every vCPU and returns once none runs guest code any more.</summary>
    public void Pause()
    {
        lock (_pauseLock)
        {
            _paused = true;
        }

        KickAll();
        lock (_pauseLock)
        {
            while (_parked < _threads.Count(t => t.IsAlive) && !_stopped.Task.IsCompleted)
            {
                Monitor.Wait(_pauseLock, TimeSpan.FromMilliseconds(100));
            }
        }
    }

    public void Resume()
    {
        lock (_pauseLock)
        {
            _paused = false;
            Monitor.PulseAll(_pauseLock);
        }
    }

    /// <summary>Runs every vCPU until the machine stops, and says why it did, once every vCPU thread has ended.</summary>
    public async Task<MachineStopReason> RunAsync(CancellationToken cancellationToken)
    {
        _threads.AddRange(_vcpus.Select(vcpu => new Thread(() => RunVcpu(vcpu)) { IsBackground = true, Name = $"vcpu{vcpu.Id}" }));
        _threads.ForEach(t => t.Start());
        using var registration = cancellationToken.Register(() => Stop(new MachineStopReason(MachineStopKind.Stopped, "stopped from outside")));
        var reason = await _stopped.Task;
        await Task.Run(() => _threads.ForEach(t => t.Join()), CancellationToken.None);
        return reason;
    }

    private void KickAll()
    {
        foreach (var vcpu in _vcpus)
        {
            vcpu.RequestExit();
        }
    }

    /// <summary>The RAM, in slots around the legacy VGA window when the machine has a VGA (the window's accesses then reach it as MMIO).</summary>
    private void AddRam(ulong bytes)
    {
        var low = Math.Min(bytes, PlatformLayout.LowMemoryEnd);
        var region = Memory.Add(0, low);
        const ulong windowEnd = PlatformLayout.VgaWindow + PlatformLayout.VgaWindowSize;
        if (Options.LegacyVgaWindow && low > windowEnd)
        {
            _vm.SetUserMemoryRegion(_nextSlot++, 0, PlatformLayout.VgaWindow, region.HostAddress);
            _vm.SetUserMemoryRegion(_nextSlot++, windowEnd, low - windowEnd, region.HostAddress + (nint)windowEnd);
        }
        else
        {
            _vm.SetUserMemoryRegion(_nextSlot++, 0, low, region.HostAddress);
        }

        if (bytes > low)
        {
            var high = Memory.Add(PlatformLayout.HighMemoryStart, bytes - low);
            _vm.SetUserMemoryRegion(_nextSlot++, high.GuestAddress, high.Size, high.HostAddress);
        }
    }

    private void RunVcpu(KvmVcpu vcpu)
    {
        vcpu.BindToCurrentThread();
        try
        {
            while (true)
            {
                Volatile.Write(ref vcpu.Header.ImmediateExit, 0);
                if (_stopped.Task.IsCompleted)
                {
                    break;
                }

                if (IsPaused)
                {
                    Park();
                    continue;
                }

                var exit = vcpu.Run();
                if (HandleExitGuarded(vcpu, exit) is { } stop)
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

    /// <summary>Waits, counted as parked, until the machine is resumed or stopped.</summary>
    private void Park()
    {
        lock (_pauseLock)
        {
            _parked++;
            Monitor.PulseAll(_pauseLock);
            while (_paused && !_stopped.Task.IsCompleted)
            {
                Monitor.Wait(_pauseLock);
            }

            _parked--;
        }
    }

    private MachineStopReason? HandleExitGuarded(KvmVcpu vcpu, KvmExitReason exit)
    {
        try
        {
            return HandleExit(vcpu, exit);
        }
        catch (Exception e) when (e is not KvmException)
        {
            var access = exit == KvmExitReason.Io ? $"port {vcpu.Io.Port:x}" : exit == KvmExitReason.Mmio ? $"address {vcpu.Mmio.Address:x}" : exit.ToString();
            return DeviceFailure($"vCPU {vcpu.Id}, {access}", e);
        }
    }

    /// <summary>
    /// Device code that runs off the vCPU threads (a frame arriving from the host), guarded as the vCPUs' exits are.
    /// </summary>
    public Action<T> Guarded<T>(string device, Action<T> action)
        where T : allows ref struct
        => argument =>
        {
            try
            {
                action(argument);
            }
            catch (Exception e)
            {
                Stop(DeviceFailure(device, e));
            }
        };

    /// <summary>
    /// A device threw: that is a bug in the VMM, which the guest may have provoked. The machine stops as crashed, with
    /// the exception in its log, rather than running on with a device half-updated or the process dying unhandled.
    /// </summary>
    private static MachineStopReason DeviceFailure(string where, Exception e)
        => new(MachineStopKind.Crashed, $"{where}: a device failed: {e.GetType().Name}: {e.Message}") { Fault = e };

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

    /// <summary>Keeps the ioeventfds of a device's doorbells where the port bus put the device, starting their threads the first time.</summary>
    private void PlaceDoorbells(IPortIoDevice device, BusRange? range)
    {
        if (device is not IDoorbellDevice { Doorbells.Count: > 0 } withDoorbells)
        {
            return;
        }

        lock (_doorbells)
        {
            if (!_doorbells.TryGetValue(withDoorbells, out var doorbells))
            {
                doorbells = [.. withDoorbells.Doorbells.Select(doorbell =>
                {
                    var name = $"{device.GetType().Name} doorbell {doorbell.Offset:x}";
                    return Own(new PortDoorbell(_vm, doorbell, Guarded<ulong>(name, _ => doorbell.Ring()), name));
                })];
                _doorbells[withDoorbells] = doorbells;
            }

            foreach (var doorbell in doorbells)
            {
                doorbell.Place(range);
            }
        }
    }

    /// <summary>Ends <paramref name="device"/> with the machine, before the VM it raises interrupts on is closed.</summary>
    public T Own<T>(T device)
        where T : IDisposable
    {
        _owned.Add(device);
        return device;
    }

    public void Dispose()
    {
        foreach (var device in _owned)
        {
            device.Dispose();
        }

        foreach (var vcpu in _vcpus)
        {
            vcpu.Dispose();
        }

        _vm?.Dispose();
        _kvm.Dispose();
        Memory.Dispose();
    }
}
