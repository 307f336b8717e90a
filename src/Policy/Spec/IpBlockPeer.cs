namespace Mnp.Policy.Spec;

/// <summary>Addresses inside <see cref="Cidr"/> and inside no <see cref="Except"/> (all canonical, same family).</summary>
public sealed record IpBlockPeer(IPNetwork Cidr, ImmutableArray<IPNetwork> Except) : Peer;
