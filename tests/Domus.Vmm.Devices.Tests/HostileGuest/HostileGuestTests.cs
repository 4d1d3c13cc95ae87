using System.Buffers.Binary;
using System.Diagnostics;
using Domus.Vmm.Backends.Input;
using Domus.Vmm.Devices.Tests.Network;

namespace Domus.Vmm.Devices.Tests.HostileGuest;

/// <summary>
/// A guest that does whatever it likes to the PC's devices, from a seeded random source: register accesses of every
/// width at the devices' ports (and anywhere), PCI configuration writes that move or switch off BARs, VGA window
/// and framebuffer writes, RAM filled with words that point back into RAM (so that PRD tables, descriptor rings,
/// virtqueues and init blocks lead somewhere), frames arriving on the cards' wires, keys and the screen being read.
/// Whatever it does, no device throws and no access takes long: domus-dm ends a domain whose device throws as
/// crashed, so a throw here is a guest-triggered crash, and a slow or endless access would hold a vCPU.
/// A failure names the seed and the step, to replay it.
/// </summary>
public sealed class HostileGuestTests
{
    private const int Steps = 60_000;
    private static readonly TimeSpan SlowAccess = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public async Task NoDeviceThrowsOrStallsWhateverTheGuestDoes(int seed, bool driversFirst)
    {
        // On a thread of its own, so that an access that never returns fails the test instead of hanging the run.
        var run = Task.Factory.StartNew(() => Play(seed, driversFirst), TaskCreationOptions.LongRunning);
        await run.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
    }

    private static void Play(int seed, bool driversFirst)
    {
        using var pc = new HostilePc();
        var random = new Random(seed);
        var step = 0;
        var action = "bringing the cards up";
        try
        {
            var drivers = driversFirst ? BringUpCards(pc) : null;
            var watch = new Stopwatch();
            for (step = 0; step < Steps; step++)
            {
                watch.Restart();
                if (drivers is not null && random.Next(20) == 0)
                {
                    Drive(pc, drivers, random, ref action);
                }
                else
                {
                    Step(pc, random, ref action);
                }

                Assert.True(watch.Elapsed < SlowAccess, $"seed {seed}, step {step}: {action} took {watch.Elapsed.TotalMilliseconds:F0} ms");
            }

            if (drivers is not null)
            {
                // The mischief reached the cards' transmit paths.
                Assert.True(pc.PcnetWire.Sent.Count > 0 && pc.VirtioWire.Sent.Count > 0, $"seed {seed}: PCnet sent {pc.PcnetWire.Sent.Count} frames, virtio-net {pc.VirtioWire.Sent.Count}");
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"seed {seed}, step {step}: {action} threw {e}");
        }
    }

    /// <summary>The cards brought up as their drivers would, so that the guest's mischief starts from running rings.</summary>
    private static IGuestNicDriver[] BringUpCards(HostilePc pc)
    {
        var pcnet = new PcnetGuestDriver(pc.PcnetCard, pc.Memory, style: 2);
        pcnet.Initialize([2, 0, 0, 0, 0, 1]);
        pcnet.Start();
        var virtio = new VirtioNetGuestDriver(pc.VirtioCard, pc.Memory);
        virtio.Initialize();
        return [pcnet, virtio];
    }

    /// <summary>A driver's ordinary work among the mischief: a frame sent, now and then the cards brought up again.</summary>
    private static void Drive(HostilePc pc, IGuestNicDriver[] drivers, Random random, ref string action)
    {
        if (random.Next(10) == 0)
        {
            action = "the cards brought up again";
            pc.PlaceBars();
            BringUpCards(pc);
            return;
        }

        var driver = drivers[random.Next(drivers.Length)];
        var frame = new byte[random.Next(14, 1515)];
        random.NextBytes(frame);
        action = $"{driver.GetType().Name} sending {frame.Length} bytes";
        driver.Send(frame);
    }

    /// <summary>One thing the guest does; <paramref name="action"/> says what before it is done.</summary>
    private static void Step(HostilePc pc, Random random, ref string action)
    {
        Span<byte> data = stackalloc byte[8];
        var choice = random.Next(100);
        if (choice < 50)
        {
            var (port, length) = random.Next(20) == 0 ? ((ushort)random.Next(0x10000), 1) : pc.PortRanges[random.Next(pc.PortRanges.Count)];
            var width = 1 << random.Next(3);
            var at = (ushort)(port + random.Next(length));
            var access = data[..width];
            if (random.Next(2) == 0)
            {
                action = $"in{width} {at:x}";
                pc.PortRead(at, access);
                return;
            }

            var value = Value(random, at);
            BinaryPrimitives.WriteUInt32LittleEndian(data, value);
            action = $"out{width} {at:x} {value:x}";
            pc.PortWrite(at, access);
        }
        else if (choice < 58)
        {
            Kick(pc, random, ref action);
        }
        else if (choice < 68)
        {
            var address = HostilePc.VgaWindow + (ulong)random.Next((int)HostilePc.VgaWindowSize);
            var width = 1 << random.Next(4);
            var write = random.Next(2) == 0;
            random.NextBytes(data[..width]);
            action = $"{(write ? "write" : "read")}{width} {address:x}";
            pc.MmioAccess(address, data[..width], write);
        }
        else if (choice < 85)
        {
            // Words that point into RAM, or small counts and lengths, or anything.
            var address = (ulong)random.Next((int)HostilePc.RamSize - 256) & ~3UL;
            action = $"RAM words at {address:x}";
            for (var i = random.Next(1, 64); i > 0; i--, address += 4)
            {
                pc.Memory.Write(address, Value(random, 0));
            }
        }
        else if (choice < 90)
        {
            var screen = pc.Vga.VideoMemory.Span;
            var offset = random.Next(screen.Length - 64);
            action = $"framebuffer bytes at {offset:x}";
            random.NextBytes(screen.Slice(offset, random.Next(1, 64)));
        }
        else if (choice < 95)
        {
            var frame = new byte[random.Next(0, 2000)];
            random.NextBytes(frame);
            var toPcnet = random.Next(2) == 0;
            action = $"a frame of {frame.Length} bytes to the {(toPcnet ? "PCnet" : "virtio-net")} card";
            (toPcnet ? pc.PcnetWire : pc.VirtioWire).Deliver(frame);
        }
        else if (choice < 97)
        {
            action = "a key and a mouse move";
            pc.Keyboard.SendKey((ushort)random.Next(0x100), random.Next(2) == 0);
            pc.Keyboard.SendPointer(random.Next(-300, 300), random.Next(-300, 300), random.Next(-3, 3), (PointerButtons)random.Next(8));
        }
        else
        {
            action = "the screen read";
            pc.Render();
            _ = pc.ReadText();
        }
    }

    /// <summary>What makes a device act on what RAM holds: a virtqueue notified, a PCnet transmit demand, an IDE DMA command started.</summary>
    private static void Kick(HostilePc pc, Random random, ref string action)
    {
        switch (random.Next(3))
        {
            case 0:
                var queue = (ushort)random.Next(3);
                action = $"virtqueue {queue} notified";
                pc.PortWrite(HostilePc.VirtioPort + 0x10, BitConverter.GetBytes(queue));
                break;
            case 1:
                var csr0 = (ushort)(random.Next(2) == 0 ? 0x0008 : random.Next(0x80));
                action = $"PCnet CSR0 {csr0:x}";
                pc.PortWrite(HostilePc.PcnetPort + 0x12, BitConverter.GetBytes((ushort)0));
                pc.PortWrite(HostilePc.PcnetPort + 0x10, BitConverter.GetBytes(csr0));
                break;
            default:
                var secondary = random.Next(2) == 1;
                var (bus, command) = (secondary ? 0x170 : 0x1F0, random.Next(3) switch { 0 => 0xC8, 1 => 0xCA, _ => 0xA0 });
                var busMaster = HostilePc.BusMasterPort + (secondary ? 8 : 0);
                action = $"IDE {(secondary ? "secondary" : "primary")} command {command:x} with bus-master DMA";
                pc.PortWrite(busMaster + 4, BitConverter.GetBytes(Value(random, 0) & ~3u));
                pc.PortWrite(bus + 6, [(byte)(0xE0 | (secondary ? 0x10 : 0))]);
                pc.PortWrite(bus + 1, [(byte)random.Next(2)]);
                pc.PortWrite(bus + 2, [(byte)random.Next(256)]);
                pc.PortWrite(bus + 3, [(byte)random.Next(256)]);
                pc.PortWrite(bus + 7, [(byte)command]);
                pc.PortWrite(busMaster, [(byte)(random.Next(2) == 0 ? 0x09 : 0x01)]);
                break;
        }
    }

    /// <summary>A register value: an address in RAM (where DMA would go), a small number, an extreme, or anything.</summary>
    private static uint Value(Random random, ushort port) => random.Next(5) switch
    {
        0 => (uint)random.Next((int)HostilePc.RamSize),
        1 => (uint)random.Next(16),
        2 => random.Next(4) switch { 0 => 0u, 1 => uint.MaxValue, 2 => 0x8000_0000u, _ => 0xFFFFu },
        3 when port == HostilePc.PciConfigPort => 0x8000_0000u | ((uint)random.Next(5) << 11) | ((uint)random.Next(2) << 8) | ((uint)random.Next(64) << 2),
        _ => (uint)random.NextInt64(1L << 32),
    };
}
