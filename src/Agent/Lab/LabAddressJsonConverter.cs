using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mnp.Agent.Lab;

/// <summary>Writes a <see cref="LabAddress"/> as its <c>addr/prefix</c> text.</summary>
public sealed class LabAddressJsonConverter : JsonConverter<LabAddress>
{
    public override LabAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? string.Empty;
        return LabAddress.TryParse(text, null, out var value) ? value : throw new JsonException($"'{text}' is not an address/prefix");
    }

    public override void Write(Utf8JsonWriter writer, LabAddress value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
