using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace Mnp.Agent.Lab.Ipam;

/// <summary>Allocatable addresses <see cref="First"/>..<see cref="Last"/> of a subnet; <see cref="Excluded"/> are never handed out (gateway, whereabouts exclude).</summary>
public sealed record IpamRange(IPAddress Subnet, int PrefixLength, IPAddress First, IPAddress Last, ImmutableArray<LabAddress> Excluded)
{
    public AddressFamily Family => Subnet.AddressFamily;

    public bool ContainsInSubnet(IPAddress address) =>
        address.AddressFamily == Family && AddressMath.NetworkOf(address, PrefixLength) == AddressMath.ToNumber(Subnet);

    public bool IsExcluded(IPAddress address) =>
        Excluded.Any(e => e.Address.AddressFamily == address.AddressFamily
            && AddressMath.NetworkOf(address, e.PrefixLength) == AddressMath.NetworkOf(e.Address, e.PrefixLength));

    /// <summary>The last address of the widest exclusion holding address number <paramref name="number"/>; null when none does.</summary>
    public UInt128? ExclusionEnd(UInt128 number)
    {
        UInt128? end = null;
        foreach (var e in Excluded.Where(e => e.Address.AddressFamily == Family))
        {
            var network = AddressMath.NetworkOf(e.Address, e.PrefixLength);
            var last = network | AddressMath.HostMask(e.PrefixLength, Family);
            if (number >= network && number <= last && (end is null || last > end))
            {
                end = last;
            }
        }

        return end;
    }

    public override string ToString() => $"{First}-{Last} in {Subnet}/{PrefixLength}";
}
