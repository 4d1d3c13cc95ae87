using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Domus.Vmm.Backends.Display;

/// <summary>Writes a frame as a PNG screenshot: 8-bit RGB, no filter, one zlib stream in one IDAT chunk.</summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 0x1A, 10];

    public static byte[] Encode(Frame frame)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, frame.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], frame.Height);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: RGB
        WriteChunk(output, "IHDR"u8, header);
        WriteChunk(output, "IDAT"u8, Compress(frame));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static byte[] Compress(Frame frame)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var line = new byte[1 + (frame.Width * 3)];
            for (var y = 0; y < frame.Height; y++)
            {
                var row = frame.Row(y);
                for (var x = 0; x < row.Length; x++)
                {
                    line[1 + (x * 3)] = (byte)(row[x] >> 16);
                    line[2 + (x * 3)] = (byte)(row[x] >> 8);
                    line[3 + (x * 3)] = (byte)row[x];
                }

                zlib.Write(line);
            }
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
