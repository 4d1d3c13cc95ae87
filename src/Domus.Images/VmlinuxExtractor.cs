using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;

namespace Domus.Images;

/// <summary>
/// Recovers the ELF vmlinux from a bzImage, as the kernel's scripts/extract-vmlinux does: the compressed payload
/// the setup header points at (payload_offset, payload_length) is recognised by its magic bytes and decompressed
/// (gzip in process; xz, zstd, lz4, bzip2 and lzma with their Debian tools). The result must be an ELF file.
/// </summary>
public static class VmlinuxExtractor
{
    private static readonly (byte[] Magic, string Tool, string Package)[] Formats =
    [
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz", "xz-utils"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd", "zstd"),
        ([0x02, 0x21, 0x4C, 0x18], "lz4", "lz4"),
        ([0x42, 0x5A, 0x68], "bzip2", "bzip2"),
        ([0x5D, 0x00, 0x00], "lzma", "xz-utils"),
    ];

    public static async Task ExtractAsync(string bzImage, string output, CancellationToken cancellationToken)
    {
        var image = await File.ReadAllBytesAsync(bzImage, cancellationToken);
        if (image.Length < 0x250 || !image.AsSpan(0x202, 4).SequenceEqual("HdrS"u8) || BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(0x206)) < 0x0208)
        {
            throw new ImageBuildException($"{bzImage} is not a bzImage with a payload description (boot protocol 2.08 or later)");
        }

        var setupSectors = image[0x1F1] == 0 ? 4 : image[0x1F1];
        var start = ((setupSectors + 1) * 512) + (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(0x248));
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(0x24C));
        if (start + length > image.Length)
        {
            throw new ImageBuildException($"{bzImage}: the payload lies beyond the end of the file");
        }

        var payload = image.AsMemory(start, length);
        var partial = output + ".partial";
        try
        {
            await DecompressAsync(bzImage, payload, partial, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or ImageBuildException)
        {
            File.Delete(partial);
            throw e as ImageBuildException ?? new ImageBuildException($"{bzImage}: the payload does not decompress: {e.Message}");
        }

        byte[] elf;
        await using (var check = File.OpenRead(partial))
        {
            elf = new byte[Math.Min(4, (int)check.Length)];
            await check.ReadExactlyAsync(elf, cancellationToken);
        }

        if (!elf.AsSpan().SequenceEqual("\u007FELF"u8))
        {
            File.Delete(partial);
            throw new ImageBuildException($"{bzImage}: the decompressed payload is not an ELF vmlinux");
        }

        File.Move(partial, output, overwrite: true);
    }

    private static async Task DecompressAsync(string bzImage, ReadOnlyMemory<byte> payload, string partial, CancellationToken cancellationToken)
    {
        await using (var file = File.Create(partial))
        {
            if (payload.Span.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
            {
                await using var gzip = new GZipStream(new MemoryStream(payload.ToArray()), CompressionMode.Decompress);
                await gzip.CopyToAsync(file, cancellationToken);
            }
            else
            {
                var format = Formats.FirstOrDefault(f => payload.Span.StartsWith(f.Magic));
                if (format.Tool is null)
                {
                    throw new ImageBuildException($"{bzImage}: the payload's compression is not recognised (magic {Convert.ToHexString(payload.Span[..4])})");
                }

                await RunToolAsync(format.Tool, format.Package, payload, file, cancellationToken);
            }
        }
    }

    private static async Task RunToolAsync(string tool, string package, ReadOnlyMemory<byte> payload, Stream output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-dc");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ImageBuildException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ImageBuildException($"decompressing the kernel needs {tool} (apt-get install {package})");
        }

        using (process)
        {
            var feed = Task.Run(
                async () =>
                {
                    // Tools stop reading at the end of their stream; what trails the payload is of no interest.
                    try
                    {
                        await process.StandardInput.BaseStream.WriteAsync(payload, cancellationToken);
                        process.StandardInput.Close();
                    }
                    catch (IOException)
                    {
                    }
                },
                cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            await feed;
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0 && output.Length == 0)
            {
                throw new ImageBuildException($"{tool} could not decompress the kernel: {await errors}");
            }
        }
    }
}
