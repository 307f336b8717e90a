using System.Collections.Immutable;
namespace Mnp.Agent.Lab.Ipam;

/// <summary>
/// The IPAM of a NetworkAttachmentDefinition as the lab understands it. Each range set yields one address per
/// interface (host-local <c>ranges</c> is a list of sets, one per family usually; whereabouts <c>range</c>/<c>ipRanges</c>
/// give one set each); <see cref="StaticAddresses"/> go to every interface (static IPAM). <see cref="Unsupported"/>
/// names an IPAM type the lab cannot allocate from (pods must then give <c>ips</c>).
/// </summary>
public sealed record IpamConfig(
    string Type,
    ImmutableArray<ImmutableArray<IpamRange>> RangeSets,
    ImmutableArray<LabAddress> StaticAddresses,
    string? Unsupported)
{
    public static IpamConfig None { get; } = new(string.Empty, [], [], null);

    public IEnumerable<IpamRange> AllRanges => RangeSets.SelectMany(s => s);
}
