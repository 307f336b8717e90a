namespace Mnp.Policy.Spec;

/// <summary>
/// One ingress or egress rule. <see cref="AnyPeer"/> when <c>from</c>/<c>to</c> is absent or empty;
/// otherwise <see cref="Peers"/> holds the valid peers (possibly none: then the rule matches nothing).
/// Ports likewise.
/// </summary>
public sealed record PolicyRule(int Index, bool AnyPeer, ImmutableArray<Peer> Peers, bool AnyPort, ImmutableArray<PortSpec> Ports);
