using System.Collections.Concurrent;
using Domus.Vmm.Backends.Input;

namespace Domus.Vmm.Backends.Tests.Vnc;

/// <summary>A keyboard and mouse that keep what they were sent.</summary>
public sealed class RecordingInput : IKeyboardInput, IPointerInput
{
    public ConcurrentQueue<(ushort Scancode, bool Pressed)> Keys { get; } = new();

    public ConcurrentQueue<(int X, int Y, int Wheel, PointerButtons Buttons)> Pointer { get; } = new();

    public void SendKey(ushort scancode, bool pressed) => Keys.Enqueue((scancode, pressed));

    public void SendPointer(int deltaX, int deltaY, int deltaWheel, PointerButtons buttons) => Pointer.Enqueue((deltaX, deltaY, deltaWheel, buttons));

    /// <summary>Waits until <paramref name="count"/> items arrived (events come from the server's own tasks).</summary>
    public static async Task WaitForAsync<T>(ConcurrentQueue<T> queue, int count)
    {
        for (var waited = 0; queue.Count < count && waited < 5000; waited += 10)
        {
            await Task.Delay(10);
        }

        Assert.True(queue.Count >= count, $"{queue.Count} events arrived, {count} expected");
    }
}
