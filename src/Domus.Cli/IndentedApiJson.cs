using System.Text.Json.Serialization;
using Domus.Api;

namespace Domus.Cli;

/// <summary>The API's JSON, indented for people: what domus list -l prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(List<DomainDetail>))]
public sealed partial class IndentedApiJson : JsonSerializerContext;
