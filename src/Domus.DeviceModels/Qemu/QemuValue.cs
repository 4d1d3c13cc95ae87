namespace Domus.DeviceModels.Qemu;

/// <summary>
/// Values placed inside a QEMU option such as <c>-drive file=VALUE,format=raw</c>. QEMU splits options at
/// commas and reads a doubled comma as a literal one, so a value with commas cannot add options of its own.
/// A value is always part of a key=value string, never an argv element by itself, so a leading '-' cannot
/// become an option either.
/// </summary>
public static class QemuValue
{
    public static string Escape(string value)
    {
        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"'{value}' contains a control character", nameof(value));
        }

        return value.Replace(",", ",,", StringComparison.Ordinal);
    }
}
