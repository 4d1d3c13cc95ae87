using Domus.Config.Diagnostics;

namespace Domus.Config.Normalization;

/// <summary><c>name</c>, <c>uuid</c>, and <c>type</c> with its deprecated alias <c>builder</c>.</summary>
public static class IdentitySection
{
    public static (string Name, Guid Uuid) Read(SettingsReader reader, string fileName, SourceLocation file, Func<Guid> newUuid)
    {
        ReadType(reader);
        return (ReadName(reader, fileName, file), ReadUuid(reader, newUuid));
    }

    private static string ReadName(SettingsReader reader, string fileName, SourceLocation file)
    {
        if (reader.GetString("name") is { } name)
        {
            if (DomainName.Problem(name.Value) is { } problem)
            {
                reader.Error("name", name, problem);
            }

            return name.Value;
        }

        // xm named a domain after its configuration file when the file gave no name.
        var fallback = Path.GetFileNameWithoutExtension(fileName);
        if (!reader.Has("name") && DomainName.Problem(fallback) is { } fallbackProblem)
        {
            reader.Diagnostics.Error(file, $"name: the file sets no name, and its file name cannot serve: {fallbackProblem}");
        }

        return fallback;
    }

    private static Guid ReadUuid(SettingsReader reader, Func<Guid> newUuid)
    {
        if (reader.GetString("uuid") is not { } text)
        {
            return newUuid();
        }

        if (!Guid.TryParseExact(text.Value, "D", out var uuid) && !Guid.TryParseExact(text.Value, "N", out uuid))
        {
            reader.Error("uuid", text, $"'{text.Value}' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
            return newUuid();
        }

        if (uuid == Guid.Empty)
        {
            reader.Error("uuid", text, "the all-zero UUID is reserved");
        }

        return uuid;
    }

    private static void ReadType(SettingsReader reader)
    {
        var type = reader.GetString("type");
        var builder = reader.GetString("builder");
        var fromType = type is null ? null : Classify(reader, "type", type);
        var fromBuilder = builder is null ? null : Classify(reader, "builder", builder);
        if (fromType is not null && fromBuilder is not null && fromType != fromBuilder)
        {
            reader.Error("builder", builder!, $"builder '{builder!.Value}' contradicts type '{type!.Value}'");
        }
    }

    /// <summary>Returns "hvm", or null after reporting why the domain cannot be one.</summary>
    private static string? Classify(SettingsReader reader, string key, Evaluation.StringValue value)
    {
        switch (value.Value)
        {
            case "hvm" or "vmx":
                return "hvm";
            case "pv" or "pvh" or "linux" or "generic":
                reader.Error(key, value, $"'{value.Value}' asks for a Xen paravirtualized domain; Domus runs unmodified guests in hardware-virtualized domains: write type = \"hvm\"");
                return null;
            default:
                reader.Error(key, value, $"unknown domain type '{value.Value}' (hvm)");
                return null;
        }
    }
}
