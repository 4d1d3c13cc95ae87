using Domus.Vmm.Kvm.Abi;
using Domus.Vmm.Kvm.Interop;

namespace Domus.Vmm.Kvm;

/// <summary>/dev/kvm: the API version, its extensions, and the VMs made from it.</summary>
public sealed class KvmSystem : IDisposable
{
    public const string DevicePath = "/dev/kvm";
    public const int ExpectedApiVersion = 12;

    /// <summary>KVM_CAP_* numbers Domus asks about.</summary>
    public const int CapabilityIrqchip = 0, CapabilityUserMemory = 3, CapabilityPit2 = 33, CapabilityIoeventfd = 36, CapabilityImmediateExit = 136;

    private readonly KvmFileHandle _handle;

    private KvmSystem(KvmFileHandle handle) => _handle = handle;

    /// <summary>Why KVM cannot be used here, or null when it can; tests that need KVM skip with this reason.</summary>
    public static string? UnavailableReason()
    {
        if (!File.Exists(DevicePath))
        {
            return $"{DevicePath} does not exist";
        }

        try
        {
            using var kvm = Open();
            return null;
        }
        catch (KvmException e)
        {
            return e.Message;
        }
    }

    public static KvmSystem Open()
    {
        var fd = LibC.Open(DevicePath, LibC.ReadWrite | LibC.CloseOnExec);
        if (fd < 0)
        {
            throw KvmException.Last($"open {DevicePath}");
        }

        var system = new KvmSystem(new KvmFileHandle(fd));
        var version = LibC.Ioctl(system._handle, KvmIoctl.GetApiVersion, 0);
        if (version != ExpectedApiVersion)
        {
            system.Dispose();
            throw new KvmException($"KVM_GET_API_VERSION answered {version}, not {ExpectedApiVersion}", 0);
        }

        return system;
    }

    public int CheckExtension(int capability) => LibC.Ioctl(_handle, KvmIoctl.CheckExtension, capability);

    public int VcpuMmapSize()
    {
        var size = LibC.Ioctl(_handle, KvmIoctl.GetVcpuMmapSize, 0);
        return size > 0 ? size : throw KvmException.Last("KVM_GET_VCPU_MMAP_SIZE");
    }

    /// <summary>The CPUID leaves this host's KVM can present to a guest.</summary>
    public unsafe KvmCpuidEntry2[] SupportedCpuid()
    {
        const int capacity = 256;
        var buffer = new byte[8 + (capacity * sizeof(KvmCpuidEntry2))];
        fixed (byte* pointer = buffer)
        {
            *(uint*)pointer = capacity;
            if (LibC.Ioctl(_handle, KvmIoctl.GetSupportedCpuid, (nint)pointer) < 0)
            {
                throw KvmException.Last("KVM_GET_SUPPORTED_CPUID");
            }

            var count = *(uint*)pointer;
            return new ReadOnlySpan<KvmCpuidEntry2>(pointer + 8, (int)count).ToArray();
        }
    }

    public KvmVm CreateVm()
    {
        var fd = LibC.Ioctl(_handle, KvmIoctl.CreateVm, 0);
        return fd >= 0 ? new KvmVm(new KvmFileHandle(fd), VcpuMmapSize()) : throw KvmException.Last("KVM_CREATE_VM");
    }

    public void Dispose() => _handle.Dispose();
}
