using System.Globalization;
using FsCheck.Xunit;
using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Ipam;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

public sealed class IpamAllocatorProperties
{
    /// <summary>host-local in any /22../30: addresses are distinct, inside the subnet, never the network, the
    /// gateway (.1) or the broadcast address, handed out lowest first, and exhaustion is an error, not a reuse.</summary>
    [Property(MaxTest = 60)]
    public bool Host_local_allocations_are_distinct_usable_and_in_order(byte octet, byte prefixSeed, byte reservedSeed)
    {
        var prefix = 22 + (prefixSeed % 9);
        var subnet = $"10.{octet}.0.0/{prefix}";
        var allocator = new IpamAllocator(
            IpamConfigParser.Parse(Nad($$$"""{"ipam":{"type":"host-local","subnet":"{{{subnet}}}"}}""")), "x/net1");
        var capacity = (1 << (32 - prefix)) - 3;
        var reserved = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.{octet}.0.{2 + (reservedSeed % Math.Min(capacity, 200))}"));
        allocator.Reserve(reserved);

        var given = new List<LabAddress>();
        for (var i = 0; i < capacity - 1; i++)
        {
            given.AddRange(allocator.Allocate($"x/p{i}"));
        }

        var numbers = given.Select(a => AddressNumber(a.Address)).ToList();
        var network = AddressNumber(IPAddress.Parse($"10.{octet}.0.0"));
        var broadcast = network + (1u << (32 - prefix)) - 1;
        var exhausted = false;
        try
        {
            allocator.Allocate("x/last");
        }
        catch (LabException)
        {
            exhausted = true;
        }

        return exhausted
            && numbers.Distinct().Count() == numbers.Count
            && numbers.SequenceEqual(numbers.Order())
            && numbers.All(n => n > network + 1 && n < broadcast)
            && !given.Any(a => a.Address.Equals(reserved))
            && given.All(a => a.PrefixLength == prefix);
    }

    private static uint AddressNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
