using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab.Ipam;

/// <summary>The usable part of an IPAM range, checked against its subnet (the arithmetic the IPAM plugins do).</summary>
internal static class IpamRanges
{
    /// <summary>
    /// The addresses a range may hand out: <paramref name="start"/>..<paramref name="end"/> (default: all of the subnet)
    /// less the network address and, for IPv4, the broadcast address; an error names the NAD and field when none is left.
    /// </summary>
    public static IpamRange Usable(
        NetworkAttachmentInfo nad, string field, LabAddress subnet, IPAddress? start, IPAddress? end, ImmutableArray<LabAddress> excluded)
    {
        var family = subnet.Address.AddressFamily;
        var network = AddressMath.NetworkOf(subnet.Address, subnet.PrefixLength);
        var subnetAddress = AddressMath.FromNumber(network, family);

        // IPv4 needs a network and a broadcast address besides a host (a /31 or /32 has none left); IPv6 a network address.
        var maxPrefix = family == AddressFamily.InterNetwork ? 30 : 127;
        if (subnet.PrefixLength > maxPrefix)
        {
            throw IpamJson.Error(nad, field, $"subnet {subnetAddress}/{subnet.PrefixLength} is too small: no usable addresses (at most /{maxPrefix})");
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
                throw IpamJson.Error(nad, field, $"range {name} {value} is outside {subnetAddress}/{subnet.PrefixLength}");
            }
        }

        if (first < firstUsable || final > lastUsable || first > final)
        {
            var bounds = start is null && end is null ? string.Empty : $" from {start?.ToString() ?? "the first"} to {end?.ToString() ?? "the last"}";
            throw IpamJson.Error(nad, field, $"no usable addresses in {subnetAddress}/{subnet.PrefixLength}{bounds}");
        }

        return new IpamRange(subnetAddress, subnet.PrefixLength, AddressMath.FromNumber(first, family), AddressMath.FromNumber(final, family), excluded);
    }
}
