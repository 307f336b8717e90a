using System.Text.Json;

namespace Mnp.Policy.Input;

/// <summary>Small JSON helpers shared by the object parsers.</summary>
internal static class Json
{
    /// <summary>
    /// How annotation and config JSON is read: a duplicate key is an error, never "the last one wins" (Go's
    /// decoder, which Multus uses, keeps the last; we must never see another value than the CNI did).
    /// </summary>
    public static JsonDocumentOptions Strict { get; } = new() { AllowDuplicateProperties = false };

    /// <summary>A short description of a value for messages: its kind, and its text when it is a scalar.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string {MessageText.Quote(value.GetString())}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>The named property when it is present and not null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The named property's string value, or null when absent, null or not a string.</summary>
    public static string? OptionalString(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>metadata.name, metadata.namespace and metadata.annotations of a Kubernetes object.</summary>
    public static (string Name, string? Namespace) NameOf(JsonElement obj)
    {
        if (!TryGet(obj, "metadata", out var metadata))
        {
            return (string.Empty, null);
        }

        return (OptionalString(metadata, "name") ?? string.Empty, OptionalString(metadata, "namespace"));
    }

    /// <summary>The string annotation <paramref name="key"/>, or null when absent.</summary>
    public static string? Annotation(JsonElement obj, string key) =>
        TryGet(obj, "metadata", out var metadata) && TryGet(metadata, "annotations", out var annotations)
            ? OptionalString(annotations, key)
            : null;
}
