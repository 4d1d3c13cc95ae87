using System.Globalization;
using System.Text;

namespace Domus.Images;

/// <summary>
/// Writes a cpio archive in the "newc" format the Linux kernel unpacks as its initramfs: for each entry a
/// 110-byte ASCII header, the name, the data, each padded to 4 bytes, and a closing TRAILER!!! entry.
/// </summary>
public sealed class CpioArchiveWriter(Stream output)
{
    private const int DirectoryMode = 0x4000;
    private const int FileMode = 0x8000;
    private const int SymlinkMode = 0xA000;
    private int _inode = 1;

    public void AddDirectory(string path, int permissions = 0x1ED) => Add(path, DirectoryMode | permissions, []);

    public void AddFile(string path, ReadOnlySpan<byte> data, int permissions = 0x1A4) => Add(path, FileMode | permissions, data);

    public void AddSymlink(string path, string target) => Add(path, SymlinkMode | 0x1FF, Encoding.UTF8.GetBytes(target));

    public void Finish() => Add("TRAILER!!!", 0, []);

    private void Add(string path, int mode, ReadOnlySpan<byte> data)
    {
        var name = Encoding.UTF8.GetBytes(path + "\0");
        var header = string.Create(CultureInfo.InvariantCulture, $"070701{_inode++:X8}{mode:X8}{0:X8}{0:X8}{1:X8}{0:X8}{data.Length:X8}{0:X8}{0:X8}{0:X8}{0:X8}{name.Length:X8}{0:X8}");
        output.Write(Encoding.ASCII.GetBytes(header));
        output.Write(name);
        Pad(110 + name.Length);
        output.Write(data);
        Pad(data.Length);
    }

    private void Pad(int length)
    {
        Span<byte> zeros = stackalloc byte[3];
        zeros.Clear();
        output.Write(zeros[..((4 - (length % 4)) % 4)]);
    }
}
