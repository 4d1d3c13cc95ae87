using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Domus.Vmm.Backends.Network;

/// <summary>
/// A tap interface the device model attaches to (domusd creates it on the domain's bridge): frames the guest
/// sends are written to it, and a receiver thread hands what arrives to the NIC. Opened without packet
/// information, so that every read and write is one bare Ethernet frame.
/// </summary>
public sealed partial class TapDevice : INetworkBackend, IDisposable
{
    public const int MaxFrame = 65536;
    private const uint TunSetInterface = 0x400454CA, TunGetInterface = 0x800454D2;
    private const short TapMode = 0x0002, Persistent = 0x0800, NoPacketInformation = 0x1000;
    private const short PollIn = 0x0001, PollError = 0x0008, PollHangUp = 0x0010, PollInvalid = 0x0020;
    private const int Interrupted = 4;
    private const int PollMilliseconds = 200;

    private readonly SafeFileHandle _handle;
    private volatile bool _stopping;
    private Thread? _receiver;

    private TapDevice(SafeFileHandle handle, string name)
    {
        _handle = handle;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Attaches to the existing tap named <paramref name="name"/> (in the calling thread's network namespace).</summary>
    public static TapDevice Open(string name)
    {
        var handle = File.OpenHandle("/dev/net/tun", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.None);
        var request = new InterfaceRequest { Flags = TapMode | NoPacketInformation };
        var bytes = System.Text.Encoding.ASCII.GetBytes(name);
        if (bytes.Length is 0 or > 15)
        {
            handle.Dispose();
            throw new ArgumentException($"'{name}' is not a network interface name", nameof(name));
        }

        bytes.CopyTo(request.Name);
        if (Ioctl(handle, TunSetInterface, ref request) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException($"cannot attach to tap {name}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // TUNSETIFF makes a tap that is not there, one on no bridge that vanishes with us; domusd's taps persist.
        if (Ioctl(handle, TunGetInterface, ref request) < 0 || (request.Flags & Persistent) == 0)
        {
            handle.Dispose();
            throw new IOException($"there is no tap {name} (domusd makes it on the domain's bridge)");
        }

        return new TapDevice(handle, name);
    }

    /// <summary>Writes one frame; when the tap is down or its queue full, the frame is lost, as on a wire.</summary>
    public void Send(ReadOnlySpan<byte> frame) => WriteFrame(_handle, frame, (nuint)frame.Length);

    /// <summary>Starts the thread that hands every arriving frame to <paramref name="receive"/>.</summary>
    public void StartReceiving(Action<ReadOnlySpan<byte>> receive)
    {
        _receiver = new Thread(() => Receive(receive)) { IsBackground = true, Name = $"tap {Name}" };
        _receiver.Start();
    }

    private void Receive(Action<ReadOnlySpan<byte>> receive)
    {
        var buffer = new byte[MaxFrame];
        var poll = new PollDescriptor { Descriptor = (int)_handle.DangerousGetHandle(), Events = PollIn };
        while (!_stopping)
        {
            // Polled with a timeout so that Dispose can end the thread; a blocked read would never return.
            var ready = Poll(ref poll, 1, PollMilliseconds);
            if (ready < 0 && Marshal.GetLastPInvokeError() != Interrupted)
            {
                return;
            }

            if ((poll.ReturnedEvents & (PollError | PollHangUp | PollInvalid)) != 0)
            {
                // The tap is gone (deleted under the running domain): nothing more will arrive.
                return;
            }

            if (ready <= 0 || (poll.ReturnedEvents & PollIn) == 0)
            {
                continue;
            }

            var length = ReadFrame(_handle, buffer, (nuint)buffer.Length);
            if (length > 0)
            {
                receive(buffer.AsSpan(0, (int)length));
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _receiver?.Join();
        _handle.Dispose();
    }

    [StructLayout(LayoutKind.Sequential, Size = 40)]
    private struct InterfaceRequest
    {
        [System.Runtime.CompilerServices.InlineArray(16)]
        public struct NameBytes
        {
            private byte _first;
        }

        public NameBytes Name;
        public short Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeFileHandle handle, nuint request, ref InterfaceRequest value);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadFrame(SafeFileHandle handle, Span<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteFrame(SafeFileHandle handle, ReadOnlySpan<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollDescriptor descriptors, nuint count, int timeout);
}
