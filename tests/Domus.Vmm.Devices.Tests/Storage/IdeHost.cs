using System.Buffers.Binary;
using Domus.Vmm.Devices.Storage;

namespace Domus.Vmm.Devices.Tests.Storage;

/// <summary>Drives an IDE channel through its registers the way a PIO driver does.</summary>
public sealed class IdeHost(IdeChannel channel)
{
    public const ushort Data = 0, Error = 1, Features = 1, SectorCount = 2, LbaLow = 3, LbaMid = 4, LbaHigh = 5, Device = 6, Status = 7, Command = 7;

    public byte Read(ushort register) => channel.ReadByte(register);

    public void Write(ushort register, byte value) => channel.WriteByte(register, value);

    public byte AlternateStatus => channel.ControlBlock.ReadByte(0);

    public void Control(byte value) => channel.ControlBlock.WriteByte(0, value);

    public void Select(int device) => Write(Device, (byte)(0xA0 | AtaTaskFile.LbaMode | (device << 4)));

    /// <summary>A 28-bit LBA command to device 0.</summary>
    public void Command28(byte command, long lba, int count, byte features = 0)
    {
        Write(Features, features);
        Write(SectorCount, (byte)count);
        Write(LbaLow, (byte)lba);
        Write(LbaMid, (byte)(lba >> 8));
        Write(LbaHigh, (byte)(lba >> 16));
        Write(Device, (byte)(0xE0 | ((lba >> 24) & 0x0F)));
        Write(Command, command);
    }

    /// <summary>A 48-bit command: the high order bytes first, as drivers write them.</summary>
    public void Command48(byte command, long lba, int count)
    {
        Write(SectorCount, (byte)(count >> 8));
        Write(LbaLow, (byte)(lba >> 24));
        Write(LbaMid, (byte)(lba >> 32));
        Write(LbaHigh, (byte)(lba >> 40));
        Write(SectorCount, (byte)count);
        Write(LbaLow, (byte)lba);
        Write(LbaMid, (byte)(lba >> 8));
        Write(LbaHigh, (byte)(lba >> 16));
        Write(Device, 0xE0);
        Write(Command, command);
    }

    /// <summary>Reads <paramref name="length"/> bytes from the data register, 16 bits at a time.</summary>
    public byte[] ReadData(int length)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i += 2)
        {
            channel.Read(Data, data.AsSpan(i, 2));
        }

        return data;
    }

    public void WriteData(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i += 2)
        {
            channel.Write(Data, data.Slice(i, 2));
        }
    }

    /// <summary>Sends an ATAPI packet with PIO and the given byte count limit; the drive must ask for it.</summary>
    public void Packet(ReadOnlySpan<byte> cdb, int byteLimit = 0xFFFE)
    {
        Write(Features, 0);
        Write(LbaMid, (byte)byteLimit);
        Write(LbaHigh, (byte)(byteLimit >> 8));
        Write(Command, 0xA0);
        Assert.Equal(AtaStatus.DataRequest, AlternateStatus & (AtaStatus.DataRequest | AtaStatus.Busy));
        Assert.Equal(1, Read(SectorCount) & 3);
        var packet = new byte[12];
        cdb.CopyTo(packet);
        WriteData(packet);
    }

    /// <summary>Reads every DRQ block of an ATAPI reply until the command ends, checking the interrupt reason of each phase.</summary>
    public (byte[] Data, List<int> Blocks) ReadPacketReply()
    {
        var data = new List<byte>();
        var blocks = new List<int>();
        while ((Read(Status) & AtaStatus.DataRequest) != 0)
        {
            Assert.Equal(2, Read(SectorCount) & 3);
            var length = Read(LbaMid) | (Read(LbaHigh) << 8);
            blocks.Add(length);
            data.AddRange(ReadData(length));
        }

        Assert.Equal(3, Read(SectorCount) & 3);
        return (data.ToArray(), blocks);
    }

    public static ushort Word(byte[] identify, int word) => BinaryPrimitives.ReadUInt16LittleEndian(identify.AsSpan(word * 2));

    /// <summary>An IDENTIFY string: characters are swapped within each word.</summary>
    public static string Text(byte[] identify, int word, int words)
    {
        var chars = new char[words * 2];
        for (var i = 0; i < words; i++)
        {
            chars[2 * i] = (char)identify[(word + i) * 2 + 1];
            chars[(2 * i) + 1] = (char)identify[(word + i) * 2];
        }

        return new string(chars).TrimEnd();
    }
}
