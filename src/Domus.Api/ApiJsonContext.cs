using System.Text.Json.Serialization;

namespace Domus.Api;

/// <summary>The JSON of the HTTP API: snake_case, as the configuration's JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(HostInfo))]
[JsonSerializable(typeof(DomainSummary))]
[JsonSerializable(typeof(List<DomainSummary>))]
[JsonSerializable(typeof(DomainDetail))]
[JsonSerializable(typeof(List<DomainDetail>))]
[JsonSerializable(typeof(CreateDomainRequest))]
[JsonSerializable(typeof(RenameRequest))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(NetworkSummary))]
[JsonSerializable(typeof(List<NetworkSummary>))]
[JsonSerializable(typeof(CreateNetworkRequest))]
[JsonSerializable(typeof(VifSummary))]
[JsonSerializable(typeof(List<VifSummary>))]
[JsonSerializable(typeof(AttachVifRequest))]
[JsonSerializable(typeof(List<DomainStatsSample>))]
[JsonSerializable(typeof(ConfigFileView))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(ImageSummary))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(CreateImageRequest))]
[JsonSerializable(typeof(TaskSummary))]
[JsonSerializable(typeof(List<TaskSummary>))]
[JsonSerializable(typeof(NewDomainRequest))]
[JsonSerializable(typeof(NewDomainResult))]
[JsonSerializable(typeof(ConfigSummary))]
[JsonSerializable(typeof(List<ConfigSummary>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
