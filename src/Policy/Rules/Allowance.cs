namespace Mnp.Policy.Rules;

/// <summary>
/// One thing an isolated direction allows: (any peer, or one of <see cref="Peers"/>) and (any port and
/// protocol, or one of <see cref="Ports"/>). A non-any empty list matches nothing.
/// </summary>
public sealed record Allowance(RuleOrigin Origin, bool AnyPeer, ImmutableArray<PeerMatch> Peers, bool AnyPort, ImmutableArray<PortRange> Ports);
