using System.Buffers.Binary;
using System.Text;
using Domus.Vmm.Devices.FwCfg;

namespace Domus.Vmm.Devices.Tests.FwCfg;

/// <summary>fw_cfg read the way SeaBIOS reads it: select an item, then read its bytes from the data port.</summary>
public sealed class FwCfgDeviceTests
{
    private static byte[] ReadItem(FwCfgDevice device, ushort selector, int length)
    {
        device.Write(0, BitConverter.GetBytes(selector));
        var data = new byte[length];
        device.Read(1, data);
        return data;
    }

    [Fact]
    public void SignatureAndInterface()
    {
        var device = new FwCfgDevice();
        Assert.Equal("QEMU"u8.ToArray(), ReadItem(device, FwCfgDevice.Signature, 4));
        Assert.Equal(1u, BitConverter.ToUInt32(ReadItem(device, FwCfgDevice.Id, 4)));
    }

    [Fact]
    public void ItemsReadFromTheirStartAndPastTheirEndAsZeros()
    {
        var device = new FwCfgDevice();
        device.AddItem(FwCfgDevice.RamSize, 256ul << 20);
        Assert.Equal(256ul << 20, BitConverter.ToUInt64(ReadItem(device, FwCfgDevice.RamSize, 8)));
        Assert.Equal(new byte[10], ReadItem(device, 0x7777, 10));
    }

    [Fact]
    public void TheFileDirectoryListsFilesBigEndian()
    {
        var device = new FwCfgDevice();
        device.AddFile("etc/e820", new byte[40]);
        device.AddFile("etc/sercon-port", [0xF8, 0x03]);
        var directory = ReadItem(device, FwCfgDevice.FileDirectory, 4 + 128);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(directory));
        Assert.Equal(40u, BinaryPrimitives.ReadUInt32BigEndian(directory.AsSpan(4)));
        var selector = BinaryPrimitives.ReadUInt16BigEndian(directory.AsSpan(4 + 64 + 4));
        Assert.Equal("etc/sercon-port", Encoding.ASCII.GetString(directory, 4 + 64 + 8, 56).TrimEnd('\0'));
        Assert.Equal([0xF8, 0x03], ReadItem(device, selector, 2));
    }
}
