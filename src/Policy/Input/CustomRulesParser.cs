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
///   icmp: [destination-unreachable/fragmentation-needed, 11, 5/1]   # IPv4 ICMP: TYPE (every code) or TYPE/CODE
///   icmpv6: [packet-too-big, 1/4]            # ICMPv6, the same way
///   sources: [fe80::/10, 192.0.2.0/24]       # accepted from, any port
/// egress:
///   icmp: [...]
///   icmpv6: [...]
///   destinations: [ff02::/16]                # accepted to, any port
/// </code>
/// TYPE and CODE are numbers 0-255 or the names iptables gives them (<see cref="IcmpNames"/>; a code name only under its
/// own type). Every bad field is one line, "SUBJECT: field: reason" (the caller names the file); nothing is accepted from a file with
/// any bad field.
/// </summary>
public static class CustomRulesParser
{
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

        var icmp = ImmutableArray<IcmpMessage>.Empty;
        var icmpv6 = ImmutableArray<IcmpMessage>.Empty;
        var prefixes = ImmutableArray<IPNetwork>.Empty;
        foreach (var (name, value) in fields)
        {
            var path = $"{direction}.{name}";
            if (name == "icmp")
            {
                icmp = Messages(value, IcmpNames.V4, path, subject, errors);
            }
            else if (name == "icmpv6")
            {
                icmpv6 = Messages(value, IcmpNames.V6, path, subject, errors);
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

    /// <summary>
    /// A list of TYPE or TYPE/CODE entries. Duplicates go, and so does TYPE/CODE where TYPE alone (every code) is listed;
    /// the result is sorted by type, every code before one code.
    /// </summary>
    private static ImmutableArray<IcmpMessage> Messages(JsonNode? node, IcmpNames names, string path, string subject, ImmutableArray<string>.Builder errors)
    {
        var result = new HashSet<IcmpMessage>();
        foreach (var (item, at) in Items(node, path, subject, errors))
        {
            var (message, error) = item switch
            {
                JsonValue number when number.GetValueKind() == JsonValueKind.Number => Number(number.ToJsonString()) is { } type
                    ? (new IcmpMessage(type), null)
                    : (null, $"{number.ToJsonString()} is not an {names.Protocol} type ({TypeChoices(names)})"),
                JsonValue text when text.GetValueKind() == JsonValueKind.String => Message(text.GetValue<string>(), names),
                _ => (null, $"{MessageText.Quote(item?.ToJsonString())} is not an {names.Protocol} type: TYPE or TYPE/CODE ({TypeChoices(names)})"),
            };
            if (message is null)
            {
                errors.Add($"{subject}: {at}: {error}");
            }
            else
            {
                result.Add(message);
            }
        }

        return [.. result.Where(m => m.Code is null || !result.Contains(new IcmpMessage(m.Type))).OrderBy(m => m.Type).ThenBy(m => m.Code ?? -1)];
    }

    /// <summary>One <c>TYPE</c> or <c>TYPE/CODE</c> string; the error names the part that is wrong.</summary>
    private static (IcmpMessage? Message, string? Error) Message(string entry, IcmpNames names)
    {
        var quoted = MessageText.Quote(entry);
        var parts = entry.Split('/');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
        {
            return (null, $"{quoted} is not an {names.Protocol} type: TYPE or TYPE/CODE, e.g. destination-unreachable/port-unreachable or 3/4");
        }

        byte type;
        if (Number(parts[0]) is { } number)
        {
            type = number;
        }
        else if (!names.TryType(parts[0], out type))
        {
            var hint = parts.Length == 1 && names.TypeOfCode(parts[0]) is { } owner ? $": it is a code of {names.TypeName(owner)}, write {names.TypeName(owner)}/{parts[0]}" : $" ({TypeChoices(names)})";
            return (null, $"{quoted} is not an {names.Protocol} type{hint}");
        }

        if (parts.Length == 1)
        {
            return (new IcmpMessage(type), null);
        }

        if (Number(parts[1]) is { } code || names.TryCode(type, parts[1], out code))
        {
            return (new IcmpMessage(type, code), null);
        }

        var codes = names.CodeNames(type);
        var choices = codes.Count == 0 ? $"a number 0-255; {names.TypeName(type)} has no named codes" : $"a number 0-255 or one of {string.Join(", ", codes)}";
        return (null, $"{quoted}: {MessageText.Quote(parts[1])} is not an {names.Protocol} code of {names.TypeName(type)} ({choices})");
    }

    private static byte? Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 255 ? (byte)number : null;

    private static string TypeChoices(IcmpNames names) => $"a number 0-255 or one of {names.TypeNames}";

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
