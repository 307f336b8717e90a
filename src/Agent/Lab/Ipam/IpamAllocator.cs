using System.Collections.Immutable;
using System.Net;
namespace Mnp.Agent.Lab.Ipam;

/// <summary>
/// Hands out addresses of one NetworkAttachmentDefinition deterministically: the lowest free address of each range
/// set, in the order pods ask. Addresses reserved first (explicit <c>ips</c>, pods already in the lab) are skipped.
/// </summary>
public sealed class IpamAllocator(IpamConfig config, string networkName)
{
    private readonly HashSet<IPAddress> _used = [];

    public IpamConfig Config { get; } = config;

    /// <summary>Marks an address as taken; false when it already was.</summary>
    public bool Reserve(IPAddress address) => _used.Add(address);

    /// <summary>The prefix length a bare address gets on this network: its range's, else a host prefix.</summary>
    public int PrefixFor(IPAddress address) =>
        Config.AllRanges.FirstOrDefault(r => r.ContainsInSubnet(address))?.PrefixLength
        ?? Config.StaticAddresses.Where(s => s.Address.AddressFamily == address.AddressFamily).Select(s => (int?)s.PrefixLength).FirstOrDefault()
        ?? AddressMath.Bits(address.AddressFamily);

    /// <summary>One address per range set, or the static addresses; throws when the IPAM cannot serve <paramref name="podKey"/>.</summary>
    public ImmutableArray<LabAddress> Allocate(string podKey)
    {
        if (Config.Unsupported is { } type)
        {
            throw new LabException($"Pod {podKey}: network {networkName}: ipam type {type} cannot allocate in the lab; give the address in the networks annotation's ips");
        }

        if (!Config.StaticAddresses.IsEmpty)
        {
            return Config.StaticAddresses;
        }

        var result = ImmutableArray.CreateBuilder<LabAddress>();
        for (var i = 0; i < Config.RangeSets.Length; i++)
        {
            var set = Config.RangeSets[i];
            var address = set.Select(r => (Range: r, Address: FirstFree(r))).FirstOrDefault(x => x.Address is not null);
            if (address.Address is null)
            {
                throw new LabException($"Pod {podKey}: network {networkName}: no free address left in ipam range set {i} ({string.Join(", ", set)})");
            }

            _used.Add(address.Address);
            result.Add(new LabAddress(address.Address, address.Range.PrefixLength));
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The lowest address of the range neither used nor excluded. An excluded prefix is skipped in one step (its
    /// last address + 1) and a used address by one, so the work is bounded by the used addresses and the exclusions,
    /// never by the size of the range (an IPv6 /64 minus a /65 is 2^63 addresses).
    /// </summary>
    private IPAddress? FirstFree(IpamRange range)
    {
        var last = AddressMath.ToNumber(range.Last);
        var n = AddressMath.ToNumber(range.First);
        while (n <= last)
        {
            if (range.ExclusionEnd(n) is { } excludedUpTo)
            {
                if (excludedUpTo >= last)
                {
                    return null;
                }

                n = excludedUpTo + 1;
                continue;
            }

            var candidate = AddressMath.FromNumber(n, range.Family);
            if (!_used.Contains(candidate))
            {
                return candidate;
            }

            if (n == last)
            {
                return null;
            }

            n++;
        }

        return null;
    }
}
