using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// The subset of a CRD's OpenAPI v3 validation that the API server applies to a structural schema,
/// enough to judge our CRD without a cluster: types (and int-or-string), properties, additionalProperties,
/// items, required, enum, minimum/maximum, minLength/maxLength, pattern, minProperties and the
/// <c>cidr</c> format. A field the schema does not declare is reported as kubectl's default strict field
/// validation reports it. <see cref="CheckStructural"/> refuses a schema using any keyword outside this
/// subset, so nothing the CRD says is silently skipped here. Not covered: metadata (the API server checks
/// ObjectMeta itself), defaulting, CEL rules (the CRD has none).
/// </summary>
internal static partial class StructuralSchema
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "type", "description", "properties", "additionalProperties", "items", "required", "enum", "minimum", "maximum",
        "minLength", "maxLength", "pattern", "minProperties", "format", "anyOf", "x-kubernetes-int-or-string",
        "x-kubernetes-map-type", "x-kubernetes-list-type",
    };

    /// <summary>The places where the schema is not structural or uses a keyword this checker does not implement.</summary>
    public static List<string> CheckStructural(JsonObject schema, string path = "")
    {
        var problems = new List<string>();
        foreach (var (key, _) in schema)
        {
            if (!Keywords.Contains(key))
            {
                problems.Add($"{path}: keyword {key} is not checked here");
            }
        }

        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        if (intOrString)
        {
            var branches = schema["anyOf"]?.AsArray().Select(b => b!.AsObject()).ToList() ?? [];
            if (schema["type"] is not null || branches.Count != 2 || (string?)branches[0]["type"] != "integer" || (string?)branches[1]["type"] != "string" || branches.Any(b => b.Count != 1))
            {
                problems.Add($"{path}: int-or-string must be exactly anyOf [integer, string] without a type");
            }
        }
        else if (schema["type"] is null)
        {
            problems.Add($"{path}: no type");
        }
        else if (schema["anyOf"] is not null)
        {
            problems.Add($"{path}: anyOf outside the int-or-string pattern");
        }

        if (schema["properties"] is not null && schema["additionalProperties"] is not null)
        {
            problems.Add($"{path}: both properties and additionalProperties");
        }

        foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
        {
            problems.AddRange(CheckStructural(child!.AsObject(), $"{path}.{name}"));
        }

        if (schema["items"] is JsonObject items)
        {
            problems.AddRange(CheckStructural(items, $"{path}[]"));
        }
        else if ((string?)schema["type"] == "array")
        {
            problems.Add($"{path}: array without items");
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            problems.AddRange(CheckStructural(values, $"{path}.*"));
        }

        return problems;
    }

    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="value"/>, one line each naming the field.</summary>
    public static List<string> Validate(JsonObject schema, JsonNode? value, string path = "")
    {
        var errors = new List<string>();
        ValidateInto(schema, value, path, errors);
        return errors;
    }

    private static void ValidateInto(JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        if (value is null)
        {
            // The API server drops a null in a field that is not nullable before validating.
            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (!IsInteger(value) && !IsString(value))
            {
                errors.Add($"{path}: must be an integer or a string");
            }

            return;
        }

        var type = (string)schema["type"]!;
        var typeOk = type switch
        {
            "object" => value is JsonObject,
            "array" => value is JsonArray,
            "string" => IsString(value),
            "integer" => IsInteger(value),
            "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
            "boolean" => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            _ => throw new InvalidOperationException($"{path}: unknown type {type}"),
        };
        if (!typeOk)
        {
            errors.Add($"{path}: must be of type {type}");
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{path}: {value.ToJsonString()} is not one of {allowed.ToJsonString()}");
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(schema, obj, path, errors);
                break;
            case JsonArray array:
                var items = schema["items"]!.AsObject();
                for (var i = 0; i < array.Count; i++)
                {
                    ValidateInto(items, array[i], $"{path}[{i}]", errors);
                }

                break;
            default:
                ValidateScalar(schema, value.AsValue(), path, errors);
                break;
        }
    }

    private static void ValidateObject(JsonObject schema, JsonObject obj, string path, List<string> errors)
    {
        if (schema["minProperties"] is JsonNode min && obj.Count < min.GetValue<long>())
        {
            errors.Add($"{path}: must have at least {min.GetValue<long>()} field(s)");
        }

        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (obj[(string)required!] is null)
            {
                errors.Add($"{path}.{(string)required!}: required");
            }
        }

        var properties = schema["properties"]?.AsObject();
        var additional = schema["additionalProperties"] as JsonObject;
        if (properties is null && additional is null)
        {
            return; // an opaque object: metadata, which the API server validates as ObjectMeta
        }

        foreach (var (key, child) in obj)
        {
            if (properties?[key] is JsonObject childSchema)
            {
                ValidateInto(childSchema, child, $"{path}.{key}", errors);
            }
            else if (additional is not null)
            {
                ValidateInto(additional, child, $"{path}.{key}", errors);
            }
            else
            {
                errors.Add($"{path}.{key}: unknown field");
            }
        }
    }

    private static void ValidateScalar(JsonObject schema, JsonValue value, string path, List<string> errors)
    {
        if (IsString(value))
        {
            var text = value.GetValue<string>();
            if (schema["minLength"] is JsonNode minLength && text.Length < minLength.GetValue<long>())
            {
                errors.Add($"{path}: shorter than {minLength.GetValue<long>()}");
            }

            if (schema["maxLength"] is JsonNode maxLength && text.Length > maxLength.GetValue<long>())
            {
                errors.Add($"{path}: longer than {maxLength.GetValue<long>()}");
            }

            if (schema["pattern"] is JsonNode pattern && !Regex.IsMatch(text, (string)pattern!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                errors.Add($"{path}: \"{text}\" does not match {(string)pattern!}");
            }

            if ((string?)schema["format"] == "cidr" && !IsCidr(text))
            {
                errors.Add($"{path}: \"{text}\" is not a CIDR");
            }

            return;
        }

        var number = Number(value);
        if (schema["minimum"] is JsonNode minimum && number < Number(minimum))
        {
            errors.Add($"{path}: below {Number(minimum)}");
        }

        if (schema["maximum"] is JsonNode maximum && number > Number(maximum))
        {
            errors.Add($"{path}: above {Number(maximum)}");
        }
    }

    /// <summary>YAML integers arrive as <see cref="long"/>, JSON numbers as <see cref="JsonElement"/>.</summary>
    private static double Number(JsonNode node) => node.AsValue().TryGetValue<long>(out var integer) ? integer : node.GetValue<double>();

    private static bool IsString(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.IsInteger(Number(v));

    /// <summary>What Go's <c>net.ParseCIDR</c> accepts: dotted-quad IPv4 without leading zeros, or IPv6, and a prefix length in range.</summary>
    private static bool IsCidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        var address = text[..slash];
        if (address.Contains(':', StringComparison.Ordinal))
        {
            return !address.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(address, out var v6)
                && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && prefix <= 128;
        }

        return DottedQuad().IsMatch(address) && prefix <= 32;
    }

    [GeneratedRegex(@"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")]
    private static partial Regex DottedQuad();
}
