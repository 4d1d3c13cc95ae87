using Microsoft.Win32.SafeHandles;

namespace Domus.Vmm.Backends.Disks;

/// <summary>Reads of an image's host file as a drive sees them.</summary>
internal static class FileRange
{
    /// <summary>What the file holds at <paramref name="offset"/>, and zeros past <paramref name="length"/> or its end.</summary>
    public static void ReadOrZeros(SafeFileHandle file, long length, long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var read = offset < length ? RandomAccess.Read(file, destination, offset) : 0;
            if (read == 0)
            {
                destination.Clear();
                return;
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
