using System.Collections.Concurrent;
using Domus.Vmm.Backends.Network;

namespace Domus.Tests.Networking;

/// <summary>A network backend that keeps every frame the card sent, and delivers frames a test puts on the wire.</summary>
public sealed class RecordingNetwork : INetworkBackend
{
    private readonly ConcurrentQueue<byte[]> _sent = new();
    private Action<ReadOnlySpan<byte>>? _receive;

    /// <summary>The frames sent so far, oldest first.</summary>
    public List<byte[]> Sent => [.. _sent];

    public void Send(ReadOnlySpan<byte> frame) => _sent.Enqueue(frame.ToArray());

    public void StartReceiving(Action<ReadOnlySpan<byte>> receive) => _receive = receive;

    /// <summary>A frame arriving from the wire, handed to the card that started receiving.</summary>
    public void Deliver(ReadOnlySpan<byte> frame) => (_receive ?? throw new InvalidOperationException("no card receives"))(frame);
}
