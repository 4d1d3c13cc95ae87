using System.Net;
using System.Text.RegularExpressions;
using Domus.Api;
using Domus.Config;
using Domus.Config.Diagnostics;
using Domus.Config.Model;
using Domus.Config.Normalization;
using Domus.Config.Specs;
using Domus.Config.Syntax;
using Domus.Daemon.Api;
using Domus.Daemon.Domains;
using Domus.Daemon.Images;
using Domus.Daemon.Tasks;
using Domus.DeviceModels;
using Domus.Platform;

namespace Domus.Daemon.Configs;

/// <summary>
/// The configuration files of the managed directory (<c>/etc/domus/vm</c>, or <c>$DOMUS_HOME/vm</c>): listed, and
/// written by the new-domain wizard. A file is written whole or not at all: every field is checked first, the text
/// is read back by the loader <c>domus create -n</c> uses before it gets its name, and a disk made for it is removed
/// again if anything after fails.
/// </summary>
public sealed partial class ConfigManager(
    DomusLocations locations,
    ImageManager images,
    DomainManager domains,
    DomainViews views,
    IReadOnlyDictionary<DeviceModelKind, IDeviceModel> deviceModels,
    TimeProvider time) : IDisposable
{
    public const string Extension = ".cfg";
    private static readonly string[] OsKinds = ["linux", "windows", "other"];
    private static readonly Dictionary<string, string[]> NicModels = new(StringComparer.Ordinal)
    {
        ["qemu"] = ["pcnet", "ne2k_pci", "rtl8139", "e1000", "virtio-net"],
        ["native"] = ["pcnet", "virtio-net"],
    };

    private readonly SemaphoreSlim _writing = new(1, 1);

    public string Directory => locations.ConfigDirectory;

    public IReadOnlyList<ConfigSummary> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                try
                {
                    DomainConfigLoader.LoadFile(path, []);
                    return new ConfigSummary(Path.GetFileNameWithoutExtension(path), path, []);
                }
                catch (ConfigException e)
                {
                    return new ConfigSummary(Path.GetFileNameWithoutExtension(path), path, e.Errors.Select(d => d.ToString()).ToList());
                }
            })
            .ToList();
    }

    /// <summary>Checks the wizard's fields, writes NAME.cfg, and with <c>start</c> creates the domain from it.</summary>
    public async Task<NewDomainResult> CreateAsync(NewDomainRequest request, TaskHandle task, CancellationToken cancellationToken)
    {
        task.SetTarget(request.Name);
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var (domain, newImage) = Check(request);
            var path = Path.Combine(Directory, domain.Name + Extension);
            var text = WizardConfigText.Write(domain, task.Summary.Who, time.GetUtcNow());
            if (newImage is not null)
            {
                // Made to the end even if the client goes away: the file is written after it, or the image removed.
                await images.CreateAsync(newImage, CancellationToken.None);
                task.Report(50);
            }

            LoadResult loaded;
            try
            {
                loaded = WriteAtomically(path, text);
            }
            catch
            {
                if (newImage is not null)
                {
                    File.Delete(newImage.Path);
                }

                throw;
            }

            task.Report(request.Start ? 75 : 100);
            if (!request.Start)
            {
                return new NewDomainResult(domain.Name, path, null, null);
            }

            try
            {
                return new NewDomainResult(domain.Name, path, await StartAsync(path, loaded.Config, cancellationToken), null);
            }
            catch (DomainOperationException e)
            {
                task.ReportProblem($"{path} written; the domain did not start: {e.Message}");
                return new NewDomainResult(domain.Name, path, null, e.Message);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Creates the domain of a file in the managed directory, as <c>domus create NAME</c> does.</summary>
    public async Task<DomainSummary> StartAsync(string name, CancellationToken cancellationToken)
    {
        if (DomainName.Problem(name) is { } problem)
        {
            throw new DomainOperationException($"name: {problem}");
        }

        var path = Path.Combine(Directory, name + Extension);
        if (!File.Exists(path))
        {
            throw new DomainOperationException($"{name}: no configuration {path}", HttpStatusCode.NotFound);
        }

        try
        {
            return await StartAsync(path, DomainConfigLoader.LoadFile(path, []).Config, cancellationToken);
        }
        catch (ConfigException e)
        {
            throw new DomainOperationException(string.Join("; ", e.Errors));
        }
    }

    /// <summary>Starts a configuration of the managed directory; its images are checked again, as they may have changed since it was written.</summary>
    private async Task<DomainSummary> StartAsync(string path, DomainConfig config, CancellationToken cancellationToken)
    {
        if (config.Disks.Select(d => d.Target is { } target ? images.LinkOutOfImages(target) : null).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new DomainOperationException(problem);
        }

        return views.Summary(await domains.CreateAsync(new CreateDomainRequest(config with { Vnc = config.Vnc with { Password = null } }, path, Paused: false, config.Vnc.Password), cancellationToken));
    }

    /// <summary>
    /// Writes the text under a hidden name, reads it back with the configuration loader, and only then gives it its
    /// name; a file of that name that appeared meanwhile is not overwritten.
    /// </summary>
    private static LoadResult WriteAtomically(string path, string text)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var hidden = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.new");
        try
        {
            // Owner-only: the file may hold a VNC password.
            using (var file = new FileStream(hidden, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(text));
                file.Flush(flushToDisk: true);
            }

            LoadResult loaded;
            try
            {
                loaded = DomainConfigLoader.LoadFile(hidden, []);
            }
            catch (ConfigException e)
            {
                throw new DomainOperationException($"the configuration written for the wizard does not read back (a bug in Domus): {e.Message}", HttpStatusCode.InternalServerError);
            }

            File.Move(hidden, path, overwrite: false);
            return loaded;
        }
        catch (IOException e)
        {
            throw new DomainOperationException($"cannot write {path}: {e.Message}", HttpStatusCode.InternalServerError);
        }
        finally
        {
            File.Delete(hidden);
        }
    }

    /// <summary>Every field's problem at once, or the domain to write and the image to make for it.</summary>
    private (WizardDomain Domain, NewImage? Image) Check(NewDomainRequest request)
    {
        var errors = new FieldErrors();
        CheckName(request.Name, errors);
        if (!OsKinds.Contains(request.Os))
        {
            errors.Add("os", $"'{request.Os}' is not an operating system kind: linux, windows or other");
        }

        if (request.Mode == "para")
        {
            errors.Add("mode", "paravirtualized domains are not available: Domus runs unmodified guests in hardware-virtualized (full) domains only, and KVM offers no Xen PV interface");
        }
        else if (request.Mode != "full")
        {
            errors.Add("mode", $"'{request.Mode}' is not a virtualization mode: full");
        }

        var (hostMib, _) = HostFacts.Memory();
        if (request.MemoryMib < 16 || request.MemoryMib > hostMib)
        {
            errors.Add("memory_mib", $"memory is 16 to {hostMib} MiB (what this host has), not {request.MemoryMib}");
        }

        if (request.Vcpus < 1 || request.Vcpus > Environment.ProcessorCount)
        {
            errors.Add("vcpus", $"vCPUs are 1 to {Environment.ProcessorCount} (this host's CPUs), not {request.Vcpus}");
        }

        var (diskPath, newImage) = CheckDisk(request, errors);
        string? cdromPath = null;
        if (!string.IsNullOrEmpty(request.Cdrom))
        {
            (cdromPath, var problem) = images.Resolve(request.Cdrom);
            if (problem is not null)
            {
                errors.Add("cdrom", problem);
            }
            else if (cdromPath == diskPath)
            {
                errors.Add("cdrom", "the CD-ROM image is the disk's image; one image serves one drive");
            }
        }

        CheckBoot(request.Boot, request.Disk is "new" or "existing", !string.IsNullOrEmpty(request.Cdrom), errors);
        CheckNetwork(request, errors);
        if (!NicModels.ContainsKey(request.DeviceModel))
        {
            errors.Add("device_model", $"'{request.DeviceModel}' is not a device model: qemu or native");
        }

        if (request.VncPassword is { Length: > 0 } password && (!request.Vnc || password.Length > 8 || !password.All(c => c is >= '!' and <= '~')))
        {
            errors.Add("vnc_password", !request.Vnc ? "a VNC password needs the VNC display on"
                : "a VNC password is 1 to 8 printable ASCII characters, no spaces (VNC uses 8 at most)");
        }

        errors.ThrowIfAny();
        var domain = new WizardDomain
        {
            Name = request.Name,
            Uuid = Guid.NewGuid(),
            Os = request.Os,
            MemoryMib = request.MemoryMib,
            Vcpus = request.Vcpus,
            DiskPath = newImage?.Path ?? diskPath,
            DiskFormat = newImage?.Format ?? (diskPath is null ? ImageManager.Raw : ImageManager.FormatOf(diskPath)),
            CdromPath = cdromPath,
            Boot = request.Boot,
            Bridge = string.IsNullOrEmpty(request.Bridge) ? null : request.Bridge,
            NicModel = request.NicModel,
            Vnc = request.Vnc,
            VncPassword = string.IsNullOrEmpty(request.VncPassword) ? null : request.VncPassword,
            DeviceModel = request.DeviceModel,
        };
        CheckDeviceModel(domain, errors);
        errors.ThrowIfAny();
        return (domain, newImage);
    }

    private void CheckName(string name, FieldErrors errors)
    {
        if (DomainName.Problem(name) is { } problem)
        {
            errors.Add("name", problem);
        }
        else if (File.Exists(Path.Combine(Directory, name + Extension)))
        {
            errors.Conflict("name", $"a configuration named {name} already exists ({Path.Combine(Directory, name + Extension)})");
        }
        else if (domains.Domains.FirstOrDefault(d => d.Name == name) is { } existing)
        {
            errors.Conflict("name", $"a domain named {name} already exists (id {existing.Id})");
        }
    }

    private (string? Path, NewImage? Image) CheckDisk(NewDomainRequest request, FieldErrors errors)
    {
        switch (request.Disk)
        {
            case "new":
                // The image is named after the domain; a taken name is said beside the disk choice.
                var name = DomainName.Problem(request.Name) is null ? $"{request.Name}.{(request.DiskFormat == ImageManager.Qcow2 ? "qcow2" : "img")}" : null;
                return (null, images.Check(name, request.DiskFormat, request.DiskSize, errors, new ImageFields("disk", "disk_format", "disk_size")));
            case "existing":
                var (path, problem) = string.IsNullOrEmpty(request.DiskPath) ? (null, "choose an image") : images.Resolve(request.DiskPath);
                if (problem is not null)
                {
                    errors.Add("disk_path", problem);
                }

                return (path, null);
            case "none":
                return (null, null);
            default:
                errors.Add("disk", $"'{request.Disk}' is not a disk choice: new, existing or none");
                return (null, null);
        }
    }

    private static void CheckBoot(string boot, bool hasDisk, bool hasCdrom, FieldErrors errors)
    {
        if (!BootOrder().IsMatch(boot) || boot.Distinct().Count() != boot.Length)
        {
            errors.Add("boot", $"'{boot}' is not a boot order: the letters c (disk), d (CD-ROM) and n (network), each once");
        }
        else if ((boot[0] == 'c' && !hasDisk) || (boot[0] == 'd' && !hasCdrom))
        {
            errors.Add("boot", $"the domain boots from its {(boot[0] == 'c' ? "disk" : "CD-ROM")} first, and has none");
        }
    }

    private static void CheckNetwork(NewDomainRequest request, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(request.Bridge))
        {
            return;
        }

        if (!InterfaceName.IsValid(request.Bridge))
        {
            errors.Add("bridge", $"'{request.Bridge}' is not a bridge name: a name is {InterfaceName.Rule}");
        }
        else if (!HostFacts.BridgeExists(request.Bridge))
        {
            errors.Add("bridge", $"there is no bridge {request.Bridge} on this host (create one on the Networks list, or with domus network create)");
        }

        if (NicModels.TryGetValue(request.DeviceModel, out var models) && !models.Contains(request.NicModel))
        {
            errors.Add("nic_model", $"the {request.DeviceModel} device model has no '{request.NicModel}' card: {string.Join(", ", models)}");
        }
    }

    /// <summary>What the chosen device model says of the domain on this host (domus-dm's limits, a missing program).</summary>
    private void CheckDeviceModel(WizardDomain domain, FieldErrors errors)
    {
        var text = WizardConfigText.Write(domain, "a check", time.GetUtcNow());
        DomainConfig config;
        try
        {
            config = DomainConfigLoader.Load(new SourceText(domain.Name + Extension, text, Directory), []).Config;
        }
        catch (ConfigException e)
        {
            throw new DomainOperationException($"the configuration the wizard writes does not read back (a bug in Domus): {e.Message}", HttpStatusCode.InternalServerError);
        }

        if (deviceModels.TryGetValue(config.DeviceModel.Kind, out var model) && model.Problems(config).ToList() is { Count: > 0 } problems)
        {
            errors.Add("device_model", string.Join("; ", problems));
        }
    }

    public void Dispose() => _writing.Dispose();

    [GeneratedRegex("^[cdn]{1,3}$")]
    private static partial Regex BootOrder();
}
