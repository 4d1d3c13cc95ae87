using Domus.Platform;
using Domus.Config.Model;

namespace Domus.DeviceModels;

/// <summary>A program that emulates a domain's PC: QEMU, or Domus' own domus-dm.</summary>
public interface IDeviceModel
{
    DeviceModelKind Kind { get; }

    /// <summary>What keeps this device model from running the domain on this host, in words; nothing when it can.</summary>
    IEnumerable<string> Problems(DomainConfig config);

    /// <summary>Starts the domain's device model with its vCPUs paused; throws <see cref="DeviceModelException"/> with the reason.</summary>
    Task<IDeviceModelSession> StartAsync(DeviceModelLaunch launch, CancellationToken cancellationToken);

    /// <summary>Reconnects to a device model that kept running while domusd was away.</summary>
    Task<IDeviceModelSession> AttachAsync(ProcessIdentity process, DomainConfig config, DomainPaths paths, CancellationToken cancellationToken);
}
