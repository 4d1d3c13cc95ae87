using Domus.Vmm.Memory;

namespace Domus.Vmm.Devices.Tests.Display;

public sealed class DeviceMemoryTests
{
    [Fact]
    public void TheBlockIsPageAlignedZeroedAndWritable()
    {
        using var memory = new DeviceMemory(1 << 20);
        Assert.Equal(0, memory.HostAddress % DeviceMemory.PageSize);
        Assert.True(memory.Span.IndexOfAnyExcept((byte)0) < 0);
        memory.Span[^1] = 7;
        Assert.Equal(7, memory.Span[(1 << 20) - 1]);
    }

    [Fact]
    public void DirtyPagesFromTheDeviceAndFromKvmAreTakenOnce()
    {
        using var memory = new DeviceMemory(128 * DeviceMemory.PageSize);
        var generation = memory.Generation;
        memory.MarkDirty((3 * DeviceMemory.PageSize) - 1, 2);
        memory.MarkDirtyPages([0, 1UL << 6]);
        Assert.True(memory.Generation > generation);
        Span<ulong> dirty = stackalloc ulong[2];
        Assert.True(memory.TakeDirtyPages(dirty));
        Assert.Equal([0b1100UL, 1UL << 6], dirty.ToArray());
        dirty.Clear();
        Assert.False(memory.TakeDirtyPages(dirty));
    }

    [Fact]
    public void MarkingOutsideTheBlockIsIgnored()
    {
        using var memory = new DeviceMemory(DeviceMemory.PageSize);
        memory.MarkDirty(DeviceMemory.PageSize, 10);
        memory.MarkDirty(-5, 10);
        Assert.False(memory.TakeDirtyPages(stackalloc ulong[1]));
    }
}
