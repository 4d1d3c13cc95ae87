namespace Domus.Config.Evaluation;

/// <summary>
/// A top-level variable after the configuration ran. <see cref="ReadByScript"/> marks helpers such as
/// <c>arch_libdir</c>, which the script itself used; they are not reported as unknown keys.
/// </summary>
public sealed record Setting(string Key, ConfigValue Value, bool ReadByScript);
