using System.Buffers.Binary;
using System.Net;

namespace Domus.Vmm.Devices.Tests.Network;

/// <summary>A DHCP client's frames (RFC 2131) as a guest's network stack puts them on the wire, and a reader for the answers.</summary>
public static class DhcpFrames
{
    public const byte Discover = 1, Offer = 2, Request = 3, Ack = 5;
    private const int EthernetHeader = 14, IpHeader = 20, UdpHeader = 8, BootpFixed = 236;

    public static byte[] Build(ReadOnlySpan<byte> mac, uint transaction, byte type, IPAddress? requested = null, IPAddress? server = null)
    {
        var options = new List<byte> { 0x63, 0x82, 0x53, 0x63, 53, 1, type };
        if (requested is not null)
        {
            options.AddRange([50, 4, .. requested.GetAddressBytes()]);
        }

        if (server is not null)
        {
            options.AddRange([54, 4, .. server.GetAddressBytes()]);
        }

        options.Add(255);
        var bootp = new byte[BootpFixed + options.Count];
        bootp[0] = 1;
        bootp[1] = 1;
        bootp[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(bootp.AsSpan(4), transaction);
        BinaryPrimitives.WriteUInt16BigEndian(bootp.AsSpan(10), 0x8000);
        mac.CopyTo(bootp.AsSpan(28));
        options.ToArray().CopyTo(bootp.AsSpan(BootpFixed));

        var frame = new byte[EthernetHeader + IpHeader + UdpHeader + bootp.Length];
        frame.AsSpan(0, 6).Fill(0xFF);
        mac.CopyTo(frame.AsSpan(6));
        frame[12] = 0x08;
        var ip = frame.AsSpan(EthernetHeader, IpHeader);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(IpHeader + UdpHeader + bootp.Length));
        ip[8] = 64;
        ip[9] = 17;
        ip[16..20].Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));
        var udp = frame.AsSpan(EthernetHeader + IpHeader);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 68);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 67);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpHeader + bootp.Length));
        bootp.CopyTo(udp[UdpHeader..]);
        return frame;
    }

    /// <summary>The message type, offered address and server of a DHCP answer to <paramref name="transaction"/>, or null.</summary>
    public static (byte Type, IPAddress Address, IPAddress? Server)? Read(ReadOnlySpan<byte> frame, uint transaction)
    {
        const int bootp = EthernetHeader + IpHeader + UdpHeader;
        if (frame.Length < bootp + BootpFixed + 4 || frame[12] != 0x08 || frame[13] != 0 || frame[EthernetHeader + 9] != 17
            || BinaryPrimitives.ReadUInt16BigEndian(frame[(EthernetHeader + IpHeader + 2)..]) != 68
            || BinaryPrimitives.ReadUInt32BigEndian(frame[(bootp + 4)..]) != transaction)
        {
            return null;
        }

        var address = new IPAddress(frame.Slice(bootp + 16, 4));
        byte type = 0;
        IPAddress? server = null;
        var options = frame[(bootp + BootpFixed + 4)..];
        for (var i = 0; i + 1 < options.Length && options[i] != 255; i += options[i] == 0 ? 1 : 2 + options[i + 1])
        {
            if (options[i] == 53)
            {
                type = options[i + 2];
            }
            else if (options[i] == 54)
            {
                server = new IPAddress(options.Slice(i + 2, 4));
            }
        }

        return (type, address, server);
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
