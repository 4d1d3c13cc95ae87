using Domus.Config.Evaluation;
using Domus.Config.Model;

namespace Domus.Config.Normalization;

/// <summary>
/// Which device model emulates the domain: <c>device_model_version</c> (<c>"native"</c> for domus-dm;
/// <c>"qemu"</c>, or xl's <c>"qemu-xen"</c>), <c>device_model_override</c> (a QEMU binary), and xm's
/// <c>device_model</c> path, whose <c>qemu-dm</c> means "the host's QEMU" since Xen's qemu-dm does not
/// exist here. QEMU is the default. <c>accel</c> picks how QEMU runs guest code.
/// </summary>
public static class DeviceModelSection
{
    public const string NativeProgram = "domus-dm";
    public const string XenQemuProgram = "qemu-dm";

    public static (DeviceModelConfig DeviceModel, Accelerator Accel) Read(SettingsReader reader)
    {
        DeviceModelKind? versionKind = reader.GetString("device_model_version") switch
        {
            null => null,
            { Value: "native" or "domus" } => DeviceModelKind.Native,
            { Value: "qemu" or "qemu-xen" or "qemu-xen-traditional" } => DeviceModelKind.Qemu,
            var other => ReportUnknownVersion(reader, other),
        };
        var model = ReadPath(reader, versionKind);
        return (model, ReadAccel(reader));
    }

    private static DeviceModelKind? ReportUnknownVersion(SettingsReader reader, StringValue value)
    {
        reader.Error("device_model_version", value, $"unknown device model '{value.Value}' (native, qemu)");
        return null;
    }

    private static DeviceModelConfig ReadPath(SettingsReader reader, DeviceModelKind? versionKind)
    {
        var fallback = new DeviceModelConfig(versionKind ?? DeviceModelKind.Qemu, null);
        if (reader.GetString("device_model_override") is { } overridePath)
        {
            reader.Supersede("device_model", "device_model_override");
            if (versionKind == DeviceModelKind.Native)
            {
                reader.Error("device_model_override", overridePath, "names a QEMU binary, but device_model_version is \"native\"");
            }

            return ProgramPath(reader, "device_model_override", overridePath) is { } binary ? new DeviceModelConfig(DeviceModelKind.Qemu, binary) : fallback;
        }

        if (reader.GetString("device_model") is not { } legacy)
        {
            return fallback;
        }

        var name = Path.GetFileName(legacy.Value);
        DeviceModelKind? kind = name switch
        {
            XenQemuProgram => DeviceModelKind.Qemu,
            NativeProgram => DeviceModelKind.Native,
            _ when name.StartsWith("qemu", StringComparison.Ordinal) => DeviceModelKind.Qemu,
            _ => null,
        };
        if (kind is null)
        {
            reader.Error("device_model", legacy, $"'{legacy.Value}' is neither QEMU nor {NativeProgram}");
            return fallback;
        }

        if (versionKind is { } chosen && chosen != kind)
        {
            reader.Error("device_model", legacy, $"'{legacy.Value}' contradicts device_model_version");
        }

        // Xen's own qemu-dm is not installed on a Domus host; the host's QEMU takes its place.
        var path = name == XenQemuProgram ? null : ProgramPath(reader, "device_model", legacy);
        return new DeviceModelConfig(kind.Value, path);
    }

    /// <summary>A program path, as given: absolute, or a name looked up on PATH when the domain starts.</summary>
    private static string? ProgramPath(SettingsReader reader, string key, StringValue value)
    {
        if (value.Value.Length == 0 || value.Value.StartsWith('-') || value.Value.Any(char.IsControl))
        {
            reader.Error(key, value, $"'{value.Value}' is not a program path");
            return null;
        }

        return value.Value.Contains('/') ? ConfigPaths.Resolve(reader, key, value) : value.Value;
    }

    private static Accelerator ReadAccel(SettingsReader reader)
    {
        switch (reader.GetString("accel"))
        {
            case null or { Value: "auto" }:
                return Accelerator.Auto;
            case { Value: "kvm" }:
                return Accelerator.Kvm;
            case { Value: "tcg" }:
                return Accelerator.Tcg;
            case var other:
                reader.Error("accel", other, $"unknown accelerator '{other.Value}' (auto, kvm, tcg)");
                return Accelerator.Auto;
        }
    }
}
