using System.Text.Json.Serialization;
using Domus.Config.Model;

namespace Domus.Config.Json;

/// <summary>The JSON form of a domain (docs/domain-config.md): snake_case names, enums as their xl spelling.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DomainConfig))]
public sealed partial class DomainConfigJsonContext : JsonSerializerContext;
