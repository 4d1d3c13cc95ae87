using Domus.Vmm.Devices.Bus;
using Domus.Vmm.Kvm;

namespace Domus.Vmm.Machine;

/// <summary>
/// A device's doorbell taken by KVM: a KVM ioeventfd at the doorbell's port, which follows the device wherever the bus
/// places it, and a thread that rings the doorbell each time KVM signals the eventfd. The vCPU that wrote the
/// doorbell goes on without an exit to the VMM while the device does the work.
/// </summary>
internal sealed class PortDoorbell : IDisposable
{
    private readonly KvmVm _vm;
    private readonly Doorbell _doorbell;
    private readonly EventFd _eventFd = EventFd.Create();
    private readonly Thread _thread;
    private ulong? _port;
    private volatile bool _closing;

    public PortDoorbell(KvmVm vm, Doorbell doorbell, Action<ulong> ring, string name)
    {
        _vm = vm;
        _doorbell = doorbell;
        _thread = new Thread(() => Listen(ring)) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Moves the ioeventfd to the doorbell's port in the device's new range, or takes it away.</summary>
    public void Place(BusRange? range)
    {
        if (_port is { } current)
        {
            _vm.RemoveIoEventFd(_eventFd, current, (uint)_doorbell.Length, port: true, _doorbell.Value);
            _port = null;
        }

        if (range is { } placed)
        {
            var port = placed.Start + _doorbell.Offset;
            _vm.AddIoEventFd(_eventFd, port, (uint)_doorbell.Length, port: true, _doorbell.Value);
            _port = port;
        }
    }

    /// <summary>Rings once for each wake-up, however many writes it stands for (given to <paramref name="ring"/>).</summary>
    private void Listen(Action<ulong> ring)
    {
        while (true)
        {
            var writes = _eventFd.Wait();
            if (_closing)
            {
                return;
            }

            ring(writes);
        }
    }

    public void Dispose()
    {
        _closing = true;
        _eventFd.Signal();
        _thread.Join();
        _eventFd.Dispose();
    }
}
