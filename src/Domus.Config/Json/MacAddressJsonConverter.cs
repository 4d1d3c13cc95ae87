using System.Text.Json;
using System.Text.Json.Serialization;
using Domus.Config.Model;

namespace Domus.Config.Json;

/// <summary>Writes a MAC as its xx:xx:xx:xx:xx:xx text.</summary>
public sealed class MacAddressJsonConverter : JsonConverter<MacAddress>
{
    public override MacAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        MacAddress.TryParse(reader.GetString() ?? string.Empty, out var mac) ? mac : throw new JsonException("invalid MAC address");

    public override void Write(Utf8JsonWriter writer, MacAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
