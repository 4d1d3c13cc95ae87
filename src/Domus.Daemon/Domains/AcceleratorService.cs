using Domus.Platform;
using Domus.Config.Model;
using Domus.Daemon.Host;
using Domus.Daemon.Store;
using Domus.DeviceModels;
using Domus.DeviceModels.Qemu;

namespace Domus.Daemon.Domains;

/// <summary>
/// The accelerator of each domain: what its configuration asks for, or for <c>auto</c> what the probe found
/// on this host. The probe runs once per host boot; its answer is kept in the store.
/// </summary>
public sealed class AcceleratorService(DomainStore store, AcceleratorProbe probe, ILogger<AcceleratorService> log) : IDisposable
{
    public const string KvmDevice = "/dev/kvm";
    private readonly SemaphoreSlim _probeLock = new(1, 1);
    private AcceleratorChoice? _hostChoice;

    public async Task<AcceleratorChoice> ForAsync(Accelerator configured, CancellationToken cancellationToken)
    {
        switch (configured)
        {
            case Accelerator.Tcg:
                return AcceleratorChoice.Emulation("accel = \"tcg\" in the configuration");
            case Accelerator.Kvm when !File.Exists(KvmDevice):
                throw new DomainOperationException($"accel = \"kvm\", but {KvmDevice} does not exist on this host");
            case Accelerator.Kvm:
                var probed = await HostChoiceAsync(cancellationToken);
                return new AcceleratorChoice(AcceleratorChoice.Kvm, probed.Name == AcceleratorChoice.Kvm ? probed.CpuModel : "host", "accel = \"kvm\" in the configuration");
            default:
                return await HostChoiceAsync(cancellationToken);
        }
    }

    public async Task<AcceleratorChoice> HostChoiceAsync(CancellationToken cancellationToken)
    {
        if (_hostChoice is { } known)
        {
            return known;
        }

        await _probeLock.WaitAsync(cancellationToken);
        try
        {
            if (_hostChoice is { } probedMeanwhile)
            {
                return probedMeanwhile;
            }

            var key = $"accelerator:{HostFacts.BootId}";
            if (store.GetMeta(key) is { } saved && saved.Split('\t') is [var name, var model, var reason])
            {
                return _hostChoice = new AcceleratorChoice(name, model, reason);
            }

            var choice = await probe.ProbeAsync(cancellationToken);
            log.AcceleratorChosen(choice.Name, choice.Reason);
            store.SetMeta(key, $"{choice.Name}\t{choice.CpuModel}\t{choice.Reason}");
            return _hostChoice = choice;
        }
        finally
        {
            _probeLock.Release();
        }
    }

    public void Dispose() => _probeLock.Dispose();
}
