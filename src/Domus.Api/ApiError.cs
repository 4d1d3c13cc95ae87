using System.Text.Json.Serialization;

namespace Domus.Api;

/// <summary>
/// The body of every failed API call: one sentence for the user, and, when the request was a form (the new-domain
/// wizard, a new image), what is wrong with each field, keyed by the field's JSON name.
/// </summary>
public sealed record ApiError(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Errors = null);
