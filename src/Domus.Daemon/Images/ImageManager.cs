using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Domus.Api;
using Domus.Config;
using Domus.Config.Diagnostics;
using Domus.Config.Model;
using Domus.Daemon.Api;
using Domus.Daemon.Domains;
using Domus.Platform;
using Domus.Vmm.Backends.Disks;

namespace Domus.Daemon.Images;

/// <summary>
/// The disk images in the image directory: listed with the domains using them, made empty by qemu-img (never
/// through a shell), deleted when no domain uses them. The web manager's domains take their disks and CD-ROMs from
/// there, or from the directories domusd was told to allow besides (<c>--image-dir</c>).
/// </summary>
public sealed class ImageManager(DomusLocations locations, DomainManager domains, DaemonOptions options)
{
    public const string Raw = "raw";
    public const string Qcow2 = "qcow2";
    private readonly Lock _lock = new();
    private readonly HashSet<string> _making = new(StringComparer.Ordinal);

    public string Directory => locations.ImageDirectory;

    public IReadOnlyList<ImageSummary> List()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new DirectoryInfo(Directory).EnumerateFiles()
            .Where(f => ImageName.Problem(f.Name) is null)
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(Describe)
            .ToList();
    }

    /// <summary>
    /// The path of an image the user names: a name in the image directory, or an absolute path of a file directly in
    /// it or in a directory allowed besides (a link there must lead into one of them too); or why it cannot be used.
    /// </summary>
    public (string? Path, string? Problem) Resolve(string reference)
    {
        if (reference.Any(char.IsControl))
        {
            return (null, "an image's name or path has no control characters");
        }

        if (reference.Contains('/') && !Path.IsPathFullyQualified(reference))
        {
            return (null, $"{reference}: give an image's name, or its absolute path");
        }

        var path = Path.GetFullPath(reference, Directory);
        if (!InDirectory(path))
        {
            return (null, options.ImageDirectories.Count == 0
                ? $"{reference} is outside the image directory {Directory}; domains' images come from there (copy it in first)"
                : $"{reference} is outside the image directory {Directory} and those allowed besides ({string.Join(", ", options.ImageDirectories)}); domains' images come from these");
        }

        var name = Path.GetFileName(path);
        return ImageName.Problem(name) is { } problem ? (null, problem)
            : !File.Exists(path) ? (null, $"there is no image named {name} in {Path.GetDirectoryName(path)}")
            : OtherFileNamed(path) is { } other ? (null, $"{name} is a qcow2 image that {other}, which QEMU would open for the guest; Domus takes no such image")
            : (path, null);
    }

    /// <summary>
    /// What other file a qcow2 image names, if any: a backing file (the offset at byte 8) or, from version 3, an
    /// external data file (incompatible feature bit 2 at byte 72). A guest can write such a header into a raw disk,
    /// so an image that names another file is never taken, whatever its name says.
    /// </summary>
    private static string? OtherFileNamed(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> header = stackalloc byte[80];
            var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < 16 || !Qcow2Header.StartsWithMagic(header))
            {
                return null;
            }

            if (BinaryPrimitives.ReadUInt64BigEndian(header[8..]) != 0)
            {
                return "names a backing file";
            }

            const ulong externalDataFile = 1 << 2;
            return read == header.Length && BinaryPrimitives.ReadUInt32BigEndian(header[4..]) >= 3
                && (BinaryPrimitives.ReadUInt64BigEndian(header[72..]) & externalDataFile) != 0
                ? "keeps its data in an external file"
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "cannot be read";
        }
    }

    /// <summary>
    /// Checks a new image's fields, each under its own name; null when one is wrong. A null <paramref name="name"/>
    /// (it derives from a field that is wrong already) is not checked.
    /// </summary>
    public NewImage? Check(string? name, string? format, string? size, FieldErrors errors, ImageFields fields)
    {
        if (name is not null && ImageName.Problem(name) is { } nameProblem)
        {
            errors.Add(fields.Name, nameProblem);
        }
        else if (name is not null && (File.Exists(Path.Combine(Directory, name)) || Making(name)))
        {
            errors.Conflict(fields.Name, $"an image named {name} already exists in {Directory}");
        }

        if (format is not (Raw or Qcow2))
        {
            errors.Add(fields.Format, $"'{format}' is not an image format: raw or qcow2");
        }

        var (bytes, sizeProblem) = ImageSize.Parse(size);
        if (sizeProblem is not null)
        {
            errors.Add(fields.Size, sizeProblem);
        }
        else if (FreeBytes() is var free && bytes > free)
        {
            errors.Add(fields.Size, $"{size} does not fit: the disk of {Directory} has {ImageSize.Readable(free)} free");
        }

        return errors.Any || name is null ? null : new NewImage(name, Path.Combine(Directory, name), format!, bytes);
    }

    /// <summary>
    /// Makes the image under a hidden name and moves it into place when qemu-img is done, so that nothing ever sees
    /// a half-made image, and an image that appeared meanwhile is not overwritten.
    /// </summary>
    public async Task CreateAsync(NewImage image, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_making.Add(image.Name))
            {
                throw DomainOperationException.Conflict($"image {image.Name} is being made already");
            }
        }

        var partial = Path.Combine(Directory, $".{image.Name}.partial");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var (exitCode, output) = await HostCommand.RunAsync(
                "qemu-img", ["create", "-q", "-f", image.Format, partial, image.Bytes.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            if (exitCode != 0)
            {
                throw new DomainOperationException($"qemu-img could not make {image.Name}: {output}", HttpStatusCode.InternalServerError);
            }

            File.Move(partial, image.Path, overwrite: false);
        }
        catch (IOException e)
        {
            throw new DomainOperationException($"cannot make {image.Name}: {e.Message}", HttpStatusCode.InternalServerError);
        }
        finally
        {
            File.Delete(partial);
            lock (_lock)
            {
                _making.Remove(image.Name);
            }
        }
    }

    public ImageSummary Delete(string name)
    {
        if (ImageName.Problem(name) is { } problem)
        {
            throw new DomainOperationException(problem);
        }

        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            throw new DomainOperationException($"{name}: no such image in {Directory}", HttpStatusCode.NotFound);
        }

        var image = Describe(new FileInfo(path));
        if (image.UsedBy.Count > 0)
        {
            throw DomainOperationException.Conflict($"image {name} is in use by {string.Join(", ", image.UsedBy)}; destroy those domains (and remove those configuration files) first");
        }

        File.Delete(path);
        return image;
    }

    /// <summary>
    /// The domains whose disks or CD-ROMs are this file, whatever their state, and the managed directory's configuration
    /// files (NAME.cfg) that name it: deleting it would leave them a disk that is not there.
    /// </summary>
    public IReadOnlyList<string> UsersOf(string path)
    {
        var real = RealPath(path);
        bool Names(DomainConfig config) => config.Disks.Any(disk => disk.Target is { } target && RealPath(target) == real);
        var configurations = System.IO.Directory.Exists(locations.ConfigDirectory)
            ? System.IO.Directory.EnumerateFiles(locations.ConfigDirectory, "*.cfg").Order(StringComparer.Ordinal).Where(file => LoadedOrNull(file) is { } config && Names(config)).Select(Path.GetFileName)
            : [];
        return [.. domains.Domains.Where(d => Names(d.Record.Config)).Select(d => d.Name), .. configurations.OfType<string>()];
    }

    private static DomainConfig? LoadedOrNull(string file)
    {
        try
        {
            return DomainConfigLoader.LoadFile(file, []).Config;
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    private bool Making(string name)
    {
        lock (_lock)
        {
            return _making.Contains(name);
        }
    }

    private long FreeBytes()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new DriveInfo(Directory).AvailableFreeSpace;
    }

    /// <summary>An existing image's format, as its first bytes say (written into a new configuration, never guessed at start).</summary>
    public static string FormatOf(string path) => Qcow2VirtualSize(path) is null ? Raw : Qcow2;

    private ImageSummary Describe(FileInfo file)
    {
        var virtualSize = Qcow2VirtualSize(file.FullName);
        return new ImageSummary
        {
            Name = file.Name,
            Path = file.FullName,
            Format = FormatOf(file.FullName),
            SizeBytes = virtualSize ?? file.Length,
            FileBytes = file.Length,
            UsedBy = UsersOf(file.FullName),
        };
    }

    /// <summary>The guest's size of a qcow2 image, from its header (a big-endian 64-bit number at byte 24); null for any other file.</summary>
    private static long? Qcow2VirtualSize(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> header = stackalloc byte[32];
            return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && Qcow2Header.StartsWithMagic(header)
                ? BinaryPrimitives.ReadInt64BigEndian(header[24..])
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The image directory, then those allowed besides.</summary>
    private IEnumerable<string> AllowedDirectories => options.ImageDirectories.Prepend(Path.GetFullPath(Directory));

    private bool InDirectory(string path) =>
        AllowedDirectories.Contains(Path.GetDirectoryName(path))
        && (LinkTarget(path) is not { } target || AllowedDirectories.Contains(Path.GetDirectoryName(target.FullName)));

    /// <summary>
    /// Why a disk in an allowed image directory may not be used now: it has become a link that leads out of them (a
    /// file swapped after the wizard checked it). Paths elsewhere, which an administrator wrote, are not the wizard's.
    /// </summary>
    public string? LinkOutOfImages(string path)
    {
        var full = Path.GetFullPath(path);
        return AllowedDirectories.Contains(Path.GetDirectoryName(full)) && !InDirectory(full)
            ? $"{full} is now a link out of the image directories; domains' images are files there"
            : null;
    }

    private static string RealPath(string path) => LinkTarget(path)?.FullName ?? Path.GetFullPath(path);

    /// <summary>Where a link leads in the end; null for a plain file, or a file that does not exist.</summary>
    private static FileSystemInfo? LinkTarget(string path) => File.Exists(path) ? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) : null;
}
