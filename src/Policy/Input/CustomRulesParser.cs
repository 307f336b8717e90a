using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mnp.Policy.Rules;
using YamlDotNet.Core;

namespace Mnp.Policy.Input;

/// <summary>
/// Reads the custom-rules file (YAML or JSON), the structured replacement for the Go reference's custom iptables rule
/// files and its <c>--allow-ipv6-src-prefix</c>/<c>--allow-ipv6-dst-prefix</c>:
/// <code>
/// neighborDiscovery: true            # optional: overrides --accept-neighbor-discovery
/// ingress:
///   icmp: [destination-unreachable, 11]      # IPv4 ICMP types, by name or number
///   icmpv6: [packet-too-big, 1]              # ICMPv6 types
///   sources: [fe80::/10, 192.0.2.0/24]       # accepted from, any port
/// egress:
///   icmp: [...]
///   icmpv6: [...]
///   destinations: [ff02::/16]                # accepted to, any port
/// </code>
/// Every bad field is one line, "SUBJECT: field: reason" (the caller names the file); nothing is accepted from a file with
/// any bad field.
/// </summary>
public static class CustomRulesParser
{
    private static readonly Dictionary<string, byte> IcmpNames = new(StringComparer.Ordinal)
    {
        ["echo-reply"] = 0,
        ["destination-unreachable"] = 3,
        ["source-quench"] = 4,
        ["redirect"] = 5,
        ["echo-request"] = 8,
        ["router-advertisement"] = 9,
        ["router-solicitation"] = 10,
        ["time-exceeded"] = 11,
        ["parameter-problem"] = 12,
        ["timestamp-request"] = 13,
        ["timestamp-reply"] = 14,
    };

    private static readonly Dictionary<string, byte> Icmpv6Names = new(StringComparer.Ordinal)
    {
        ["destination-unreachable"] = 1,
        ["packet-too-big"] = 2,
        ["time-exceeded"] = 3,
        ["parameter-problem"] = 4,
        ["echo-request"] = 128,
        ["echo-reply"] = 129,
        ["router-solicitation"] = 133,
        ["router-advertisement"] = 134,
        ["neighbor-solicitation"] = 135,
        ["neighbor-advertisement"] = 136,
        ["redirect"] = 137,
    };

    public static (CustomRules? Rules, ImmutableArray<string> Errors) Parse(string text, string subject)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = ImmutableArray.CreateBuilder<string>();
        JsonNode? root;
        try
        {
            var documents = YamlToJson.ReadDocuments(text);
            if (documents.Count > 1)
            {
                return (null, [$"{subject}: holds {documents.Count} documents, one is expected"]);
            }

            root = documents.Count == 0 ? null : documents[0].Root;
        }
        catch (YamlException e)
        {
            return (null, [$"{subject}: not YAML or JSON (line {e.Start.Line}): {e.Message.ReplaceLineEndings(" ")}"]);
        }

        if (root is null)
        {
            return (CustomRules.None, []);
        }

        if (root is not JsonObject fields)
        {
            return (null, [$"{subject}: must be a mapping of neighborDiscovery, ingress and egress"]);
        }

        bool? ndp = null;
        var ingress = CommonAllowances.None;
        var egress = CommonAllowances.None;
        foreach (var (name, value) in fields)
        {
            switch (name)
            {
                case "neighborDiscovery" when value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    ndp = v.GetValue<bool>();
                    break;
                case "neighborDiscovery":
                    errors.Add($"{subject}: neighborDiscovery: must be true or false");
                    break;
                case "ingress":
                    ingress = Direction(value, "ingress", "sources", subject, errors);
                    break;
                case "egress":
                    egress = Direction(value, "egress", "destinations", subject, errors);
                    break;
                default:
                    errors.Add($"{subject}: {MessageText.Quote(name)}: unknown field (neighborDiscovery, ingress, egress)");
                    break;
            }
        }

        return errors.Count > 0 ? (null, errors.ToImmutable()) : (new CustomRules(ingress, egress, ndp), []);
    }

    private static CommonAllowances Direction(JsonNode? node, string direction, string prefixField, string subject, ImmutableArray<string>.Builder errors)
    {
        if (node is not JsonObject fields)
        {
            errors.Add($"{subject}: {direction}: must be a mapping of icmp, icmpv6 and {prefixField}");
            return CommonAllowances.None;
        }

        var icmp = ImmutableArray<byte>.Empty;
        var icmpv6 = ImmutableArray<byte>.Empty;
        var prefixes = ImmutableArray<IPNetwork>.Empty;
        foreach (var (name, value) in fields)
        {
            var path = $"{direction}.{name}";
            if (name == "icmp")
            {
                icmp = Types(value, IcmpNames, "ICMP", path, subject, errors);
            }
            else if (name == "icmpv6")
            {
                icmpv6 = Types(value, Icmpv6Names, "ICMPv6", path, subject, errors);
            }
            else if (name == prefixField)
            {
                prefixes = Prefixes(value, path, subject, errors);
            }
            else
            {
                errors.Add($"{subject}: {direction}.{MessageText.Quote(name)}: unknown field (icmp, icmpv6, {prefixField})");
            }
        }

        return new CommonAllowances(icmp, icmpv6, prefixes);
    }

    private static ImmutableArray<byte> Types(JsonNode? node, Dictionary<string, byte> names, string protocol, string path, string subject, ImmutableArray<string>.Builder errors)
    {
        var result = new SortedSet<byte>();
        foreach (var (item, at) in Items(node, path, subject, errors))
        {
            if (item is JsonValue value && value.GetValueKind() == JsonValueKind.Number
                && int.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 255)
            {
                result.Add((byte)number);
            }
            else if (item is JsonValue text && text.GetValueKind() == JsonValueKind.String && names.TryGetValue(text.GetValue<string>(), out var type))
            {
                result.Add(type);
            }
            else
            {
                errors.Add($"{subject}: {at}: {MessageText.Quote(item?.ToJsonString())} is not an {protocol} type " +
                    $"(a number 0-255 or one of {string.Join(", ", names.Keys.Order(StringComparer.Ordinal))})");
            }
        }

        return [.. result];
    }

    private static ImmutableArray<IPNetwork> Prefixes(JsonNode? node, string path, string subject, ImmutableArray<string>.Builder errors)
    {
        var result = ImmutableArray.CreateBuilder<IPNetwork>();
        foreach (var (item, at) in Items(node, path, subject, errors))
        {
            if (item is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                if (StrictAddress.TryParseCidr(value.GetValue<string>(), out var network) is { } reason)
                {
                    errors.Add($"{subject}: {at}: {reason}");
                }
                else
                {
                    result.Add(network);
                }
            }
            else
            {
                errors.Add($"{subject}: {at}: must be a CIDR string (e.g. fe80::/10)");
            }
        }

        return result.ToImmutable();
    }

    private static List<(JsonNode? Item, string Path)> Items(JsonNode? node, string path, string subject, ImmutableArray<string>.Builder errors)
    {
        if (node is not JsonArray items)
        {
            errors.Add($"{subject}: {path}: must be a list");
            return [];
        }

        return [.. items.Select((item, i) => (item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")))];
    }
}
