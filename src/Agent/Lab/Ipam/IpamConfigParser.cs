using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab.Ipam;

/// <summary>
/// Reads the <c>ipam</c> section of a NetworkAttachmentDefinition's CNI config (a single plugin or a conflist,
/// first plugin with <c>ipam</c>): <c>static</c> addresses, <c>host-local</c> <c>subnet</c>/<c>rangeStart</c>/
/// <c>rangeEnd</c>/<c>gateway</c> or <c>ranges</c>, <c>whereabouts</c> <c>range</c> (CIDR or <c>A-B/p</c>),
/// <c>range_start</c>/<c>range_end</c>/<c>exclude</c> or <c>ipRanges</c>. Errors name the NAD and the field.
/// </summary>
public static class IpamConfigParser
{
    public static IpamConfig Parse(NetworkAttachmentInfo nad)
    {
        ArgumentNullException.ThrowIfNull(nad);
        if (string.IsNullOrWhiteSpace(nad.Config))
        {
            return IpamConfig.None;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(nad.Config);
        }
        catch (JsonException e)
        {
            throw Error(nad, "spec.config", $"not JSON: {e.Message}");
        }

        using (document)
        {
            if (!TryFindIpam(document.RootElement, out var ipam, out var field))
            {
                return IpamConfig.None;
            }

            return ParseIpam(nad, ipam, field);
        }
    }

    private static bool TryFindIpam(JsonElement root, out JsonElement ipam, out string field)
    {
        field = "spec.config.ipam";
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ipam", out ipam) && ipam.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("plugins", out var plugins) && plugins.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var plugin in plugins.EnumerateArray())
            {
                if (plugin.ValueKind == JsonValueKind.Object && plugin.TryGetProperty("ipam", out ipam) && ipam.ValueKind == JsonValueKind.Object)
                {
                    field = $"spec.config.plugins[{i}].ipam";
                    return true;
                }

                i++;
            }
        }

        ipam = default;
        return false;
    }

    private static IpamConfig ParseIpam(NetworkAttachmentInfo nad, JsonElement ipam, string field)
    {
        var type = ipam.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? string.Empty : string.Empty;
        return type switch
        {
            "" when !ipam.EnumerateObject().Any() => IpamConfig.None,
            "static" => new IpamConfig(type, [], ParseStatic(nad, ipam, field), null),
            "host-local" => new IpamConfig(type, ParseHostLocal(nad, ipam, field), [], null),
            "whereabouts" => new IpamConfig(type, ParseWhereabouts(nad, ipam, field), [], null),
            _ => new IpamConfig(type, [], [], type.Length == 0 ? "(no type)" : type),
        };
    }

    private static ImmutableArray<LabAddress> ParseStatic(NetworkAttachmentInfo nad, JsonElement ipam, string field)
    {
        if (!ipam.TryGetProperty("addresses", out var addresses))
        {
            return [];
        }

        if (addresses.ValueKind != JsonValueKind.Array)
        {
            throw Error(nad, $"{field}.addresses", "must be a list");
        }

        var result = ImmutableArray.CreateBuilder<LabAddress>();
        var i = 0;
        foreach (var entry in addresses.EnumerateArray())
        {
            var path = $"{field}.addresses[{i++}].address";
            var text = entry.ValueKind == JsonValueKind.Object ? OptionalString(nad, entry, "address", path) : null;
            if (text is null || !text.Contains('/', StringComparison.Ordinal) || !LabAddress.TryParse(text, null, out var address))
            {
                throw Error(nad, path, $"'{text}' is not an address/prefix");
            }

            result.Add(address);
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<ImmutableArray<IpamRange>> ParseHostLocal(NetworkAttachmentInfo nad, JsonElement ipam, string field)
    {
        if (ipam.TryGetProperty("ranges", out var ranges))
        {
            if (ranges.ValueKind != JsonValueKind.Array)
            {
                throw Error(nad, $"{field}.ranges", "must be a list of lists");
            }

            var sets = ImmutableArray.CreateBuilder<ImmutableArray<IpamRange>>();
            var i = 0;
            foreach (var set in ranges.EnumerateArray())
            {
                if (set.ValueKind != JsonValueKind.Array)
                {
                    throw Error(nad, $"{field}.ranges[{i}]", "must be a list");
                }

                var j = 0;
                var members = ImmutableArray.CreateBuilder<IpamRange>();
                foreach (var range in set.EnumerateArray())
                {
                    members.Add(HostLocalRange(nad, range, $"{field}.ranges[{i}][{j++}]"));
                }

                if (members.Count == 0)
                {
                    throw Error(nad, $"{field}.ranges[{i}]", "is empty");
                }

                sets.Add(members.ToImmutable());
                i++;
            }

            return sets.ToImmutable();
        }

        return ipam.TryGetProperty("subnet", out _) ? [[HostLocalRange(nad, ipam, field)]] : [];
    }

    private static IpamRange HostLocalRange(NetworkAttachmentInfo nad, JsonElement range, string field)
    {
        if (range.ValueKind != JsonValueKind.Object)
        {
            throw Error(nad, field, "must be an object");
        }

        var subnetText = OptionalString(nad, range, "subnet", $"{field}.subnet") ?? throw Error(nad, $"{field}.subnet", "is required");
        var subnet = ParseCidr(nad, subnetText, $"{field}.subnet");
        var network = AddressMath.NetworkOf(subnet.Address, subnet.PrefixLength);
        var family = subnet.Address.AddressFamily;
        var gateway = ParseOptionalAddress(nad, range, "gateway", $"{field}.gateway")
            ?? AddressMath.FromNumber(network + 1, family);
        return MakeRange(
            nad,
            field,
            subnet,
            ParseOptionalAddress(nad, range, "rangeStart", $"{field}.rangeStart"),
            ParseOptionalAddress(nad, range, "rangeEnd", $"{field}.rangeEnd"),
            [new LabAddress(gateway, AddressMath.Bits(family))]);
    }

    private static ImmutableArray<ImmutableArray<IpamRange>> ParseWhereabouts(NetworkAttachmentInfo nad, JsonElement ipam, string field)
    {
        var sets = ImmutableArray.CreateBuilder<ImmutableArray<IpamRange>>();
        if (ipam.TryGetProperty("range", out _))
        {
            sets.Add([WhereaboutsRange(nad, ipam, field)]);
        }

        if (ipam.TryGetProperty("ipRanges", out var ipRanges))
        {
            if (ipRanges.ValueKind != JsonValueKind.Array)
            {
                throw Error(nad, $"{field}.ipRanges", "must be a list");
            }

            var i = 0;
            foreach (var range in ipRanges.EnumerateArray())
            {
                sets.Add([WhereaboutsRange(nad, range, $"{field}.ipRanges[{i++}]")]);
            }
        }

        return sets.ToImmutable();
    }

    private static IpamRange WhereaboutsRange(NetworkAttachmentInfo nad, JsonElement range, string field)
    {
        if (range.ValueKind != JsonValueKind.Object)
        {
            throw Error(nad, field, "must be an object");
        }

        var text = OptionalString(nad, range, "range", $"{field}.range") ?? throw Error(nad, $"{field}.range", "is required");
        IPAddress? start = null;
        IPAddress? end = null;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (dash > 0 && slash > dash)
        {
            // "A-B/p": the range A..B inside the subnet of A/p.
            start = ParseAddress(nad, text[..dash], $"{field}.range");
            end = ParseAddress(nad, text[(dash + 1)..slash], $"{field}.range");
            text = start + text[slash..];
        }

        var cidr = ParseCidr(nad, text, $"{field}.range");
        if (start is null && AddressMath.ToNumber(cidr.Address) != AddressMath.NetworkOf(cidr.Address, cidr.PrefixLength))
        {
            // "192.168.2.225/28" starts at .225.
            start = cidr.Address;
        }

        start = ParseOptionalAddress(nad, range, "range_start", $"{field}.range_start") ?? start;
        end = ParseOptionalAddress(nad, range, "range_end", $"{field}.range_end") ?? end;
        var excluded = ImmutableArray.CreateBuilder<LabAddress>();
        if (range.TryGetProperty("exclude", out var exclude))
        {
            if (exclude.ValueKind != JsonValueKind.Array)
            {
                throw Error(nad, $"{field}.exclude", "must be a list");
            }

            var i = 0;
            foreach (var entry in exclude.EnumerateArray())
            {
                var path = $"{field}.exclude[{i++}]";
                excluded.Add(ParseCidr(nad, entry.ValueKind == JsonValueKind.String ? entry.GetString() ?? string.Empty : entry.ToString(), path));
            }
        }

        return MakeRange(nad, field, cidr, start, end, excluded.ToImmutable());
    }

    private static IpamRange MakeRange(
        NetworkAttachmentInfo nad, string field, LabAddress subnet, IPAddress? start, IPAddress? end, ImmutableArray<LabAddress> excluded)
    {
        var family = subnet.Address.AddressFamily;
        var network = AddressMath.NetworkOf(subnet.Address, subnet.PrefixLength);
        var subnetAddress = AddressMath.FromNumber(network, family);

        // IPv4 needs a network and a broadcast address besides a host (a /31 or /32 has none left); IPv6 a network address.
        var maxPrefix = family == AddressFamily.InterNetwork ? 30 : 127;
        if (subnet.PrefixLength > maxPrefix)
        {
            throw Error(nad, field, $"subnet {subnetAddress}/{subnet.PrefixLength} is too small: no usable addresses (at most /{maxPrefix})");
        }

        var last = network | AddressMath.HostMask(subnet.PrefixLength, family);
        var firstUsable = network + 1;

        // IPv4 never hands out the broadcast address; IPv6 keeps the last address usable.
        var lastUsable = family == AddressFamily.InterNetwork ? last - 1 : last;
        var first = start is null ? firstUsable : AddressMath.ToNumber(start);
        var final = end is null ? lastUsable : AddressMath.ToNumber(end);
        foreach (var (value, name) in new[] { (start, "start"), (end, "end") })
        {
            if (value is not null && (value.AddressFamily != family || AddressMath.NetworkOf(value, subnet.PrefixLength) != network))
            {
                throw Error(nad, field, $"range {name} {value} is outside {subnetAddress}/{subnet.PrefixLength}");
            }
        }

        if (first < firstUsable || final > lastUsable || first > final)
        {
            var bounds = start is null && end is null ? string.Empty : $" from {start?.ToString() ?? "the first"} to {end?.ToString() ?? "the last"}";
            throw Error(nad, field, $"no usable addresses in {subnetAddress}/{subnet.PrefixLength}{bounds}");
        }

        return new IpamRange(subnetAddress, subnet.PrefixLength, AddressMath.FromNumber(first, family), AddressMath.FromNumber(final, family), excluded);
    }

    private static LabAddress ParseCidr(NetworkAttachmentInfo nad, string text, string field) =>
        text.Contains('/', StringComparison.Ordinal) && LabAddress.TryParse(text.Trim(), null, out var value)
            ? value
            : throw Error(nad, field, $"'{text}' is not a CIDR");

    private static IPAddress ParseAddress(NetworkAttachmentInfo nad, string text, string field) =>
        LabAddress.TryParse(text.Trim(), null, out var value) && !text.Contains('/', StringComparison.Ordinal)
            ? value.Address
            : throw Error(nad, field, $"'{text}' is not an IP address");

    private static IPAddress? ParseOptionalAddress(NetworkAttachmentInfo nad, JsonElement element, string property, string field)
    {
        var text = OptionalString(nad, element, property, field);
        return text is null ? null : ParseAddress(nad, text, field);
    }

    private static string? OptionalString(NetworkAttachmentInfo nad, JsonElement element, string property, string field)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(nad, field, "must be a string");
    }

    private static LabException Error(NetworkAttachmentInfo nad, string field, string message) =>
        new($"NetworkAttachmentDefinition {nad.Namespace}/{nad.Name}: {field}: {message}");
}
