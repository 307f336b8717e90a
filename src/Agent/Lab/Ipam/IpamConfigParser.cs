using System.Collections.Immutable;
using System.Net;
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
            throw IpamJson.Error(nad, "spec.config", $"not JSON: {e.Message}");
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
            throw IpamJson.Error(nad, $"{field}.addresses", "must be a list");
        }

        var result = ImmutableArray.CreateBuilder<LabAddress>();
        var i = 0;
        foreach (var entry in addresses.EnumerateArray())
        {
            var path = $"{field}.addresses[{i++}].address";
            var text = entry.ValueKind == JsonValueKind.Object ? IpamJson.OptionalString(nad, entry, "address", path) : null;
            if (text is null || !text.Contains('/', StringComparison.Ordinal) || !LabAddress.TryParse(text, null, out var address))
            {
                throw IpamJson.Error(nad, path, $"'{text}' is not an address/prefix");
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
                throw IpamJson.Error(nad, $"{field}.ranges", "must be a list of lists");
            }

            var sets = ImmutableArray.CreateBuilder<ImmutableArray<IpamRange>>();
            var i = 0;
            foreach (var set in ranges.EnumerateArray())
            {
                if (set.ValueKind != JsonValueKind.Array)
                {
                    throw IpamJson.Error(nad, $"{field}.ranges[{i}]", "must be a list");
                }

                var j = 0;
                var members = ImmutableArray.CreateBuilder<IpamRange>();
                foreach (var range in set.EnumerateArray())
                {
                    members.Add(HostLocalRange(nad, range, $"{field}.ranges[{i}][{j++}]"));
                }

                if (members.Count == 0)
                {
                    throw IpamJson.Error(nad, $"{field}.ranges[{i}]", "is empty");
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
            throw IpamJson.Error(nad, field, "must be an object");
        }

        var subnetText = IpamJson.OptionalString(nad, range, "subnet", $"{field}.subnet") ?? throw IpamJson.Error(nad, $"{field}.subnet", "is required");
        var subnet = IpamJson.ParseCidr(nad, subnetText, $"{field}.subnet");
        var network = AddressMath.NetworkOf(subnet.Address, subnet.PrefixLength);
        var family = subnet.Address.AddressFamily;
        var gateway = IpamJson.ParseOptionalAddress(nad, range, "gateway", $"{field}.gateway")
            ?? AddressMath.FromNumber(network + 1, family);
        return IpamRanges.Usable(
            nad,
            field,
            subnet,
            IpamJson.ParseOptionalAddress(nad, range, "rangeStart", $"{field}.rangeStart"),
            IpamJson.ParseOptionalAddress(nad, range, "rangeEnd", $"{field}.rangeEnd"),
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
                throw IpamJson.Error(nad, $"{field}.ipRanges", "must be a list");
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
            throw IpamJson.Error(nad, field, "must be an object");
        }

        var text = IpamJson.OptionalString(nad, range, "range", $"{field}.range") ?? throw IpamJson.Error(nad, $"{field}.range", "is required");
        IPAddress? start = null;
        IPAddress? end = null;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (dash > 0 && slash > dash)
        {
            // "A-B/p": the range A..B inside the subnet of A/p.
            start = IpamJson.ParseAddress(nad, text[..dash], $"{field}.range");
            end = IpamJson.ParseAddress(nad, text[(dash + 1)..slash], $"{field}.range");
            text = start + text[slash..];
        }

        var cidr = IpamJson.ParseCidr(nad, text, $"{field}.range");
        if (start is null && AddressMath.ToNumber(cidr.Address) != AddressMath.NetworkOf(cidr.Address, cidr.PrefixLength))
        {
            // "192.168.2.225/28" starts at .225.
            start = cidr.Address;
        }

        start = IpamJson.ParseOptionalAddress(nad, range, "range_start", $"{field}.range_start") ?? start;
        end = IpamJson.ParseOptionalAddress(nad, range, "range_end", $"{field}.range_end") ?? end;
        var excluded = ImmutableArray.CreateBuilder<LabAddress>();
        if (range.TryGetProperty("exclude", out var exclude))
        {
            if (exclude.ValueKind != JsonValueKind.Array)
            {
                throw IpamJson.Error(nad, $"{field}.exclude", "must be a list");
            }

            var i = 0;
            foreach (var entry in exclude.EnumerateArray())
            {
                var path = $"{field}.exclude[{i++}]";
                excluded.Add(IpamJson.ParseCidr(nad, entry.ValueKind == JsonValueKind.String ? entry.GetString() ?? string.Empty : entry.ToString(), path));
            }
        }

        return IpamRanges.Usable(nad, field, cidr, start, end, excluded.ToImmutable());
    }
}
