using System.Net;
using System.Text.Json;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab.Ipam;

/// <summary>The fields of an IPAM config as values, each error naming the NAD and the field's path.</summary>
internal static class IpamJson
{
    public static LabAddress ParseCidr(NetworkAttachmentInfo nad, string text, string field) =>
        text.Contains('/', StringComparison.Ordinal) && LabAddress.TryParse(text.Trim(), null, out var value)
            ? value
            : throw Error(nad, field, $"'{text}' is not a CIDR");

    public static IPAddress ParseAddress(NetworkAttachmentInfo nad, string text, string field) =>
        LabAddress.TryParse(text.Trim(), null, out var value) && !text.Contains('/', StringComparison.Ordinal)
            ? value.Address
            : throw Error(nad, field, $"'{text}' is not an IP address");

    public static IPAddress? ParseOptionalAddress(NetworkAttachmentInfo nad, JsonElement element, string property, string field)
    {
        var text = OptionalString(nad, element, property, field);
        return text is null ? null : ParseAddress(nad, text, field);
    }

    public static string? OptionalString(NetworkAttachmentInfo nad, JsonElement element, string property, string field)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(nad, field, "must be a string");
    }

    public static LabException Error(NetworkAttachmentInfo nad, string field, string message) =>
        new($"NetworkAttachmentDefinition {nad.Namespace}/{nad.Name}: {field}: {message}");
}
