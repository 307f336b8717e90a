using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Rendering;

/// <summary>Writes the chains of one direction of one interface (<see cref="TableRenderer"/>'s layout).</summary>
internal sealed class DirectionChainWriter(string iface, int ifaceIndex, Direction direction, IpFamily family, PolicyOptions options, List<NetfilterChain> owned)
{
    private readonly string _tag = direction == Direction.Ingress ? ChainNaming.IngressTag : ChainNaming.EgressTag;
    private readonly AddressFamily _addressFamily = family == IpFamily.V4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    public void Write(string chain, DirectionRules rules)
    {
        var entries = new List<NetfilterRule>
        {
            new(RuleTarget.Accept) { CtState = ConntrackStates.Related | ConntrackStates.Established },
        };
        AddIcmp(entries);
        var subChain = 0;
        foreach (var allowance in rules.Allowances)
        {
            AddAllowance(allowance, entries, ref subChain);
        }

        entries.Add(new NetfilterRule(RuleTarget.Drop));
        owned.Add(new NetfilterChain(chain, [.. entries]));
    }

    private void AddIcmp(List<NetfilterRule> entries)
    {
        var custom = options.CustomRules.For(direction);
        if (family == IpFamily.V4)
        {
            if (options.AcceptIcmp)
            {
                entries.Add(new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Icmp });
            }
            else
            {
                AddIcmpMessages(entries, NetfilterProtocol.Icmp, custom.IcmpMessages);
            }

            return;
        }

        if (options.AcceptIcmpV6)
        {
            // Every ICMPv6 type is accepted, neighbour discovery included.
            entries.Add(new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.IcmpV6 });
            return;
        }

        if (options.NeighborDiscoveryAccepted)
        {
            foreach (var type in NeighborDiscoveryTypes)
            {
                entries.Add(new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.IcmpV6, Icmp = new IcmpTypeMatch(type) });
            }
        }

        AddIcmpMessages(entries, NetfilterProtocol.IcmpV6, custom.Icmpv6Messages);
    }

    /// <summary>
    /// The custom-rules file's ICMP messages: a type alone matches every code, a type/code the one code (the icmp
    /// match's code range). Neighbour discovery types, when already accepted, are not repeated.
    /// </summary>
    private void AddIcmpMessages(List<NetfilterRule> entries, NetfilterProtocol protocol, ImmutableArray<IcmpMessage> messages)
    {
        foreach (var message in messages.IsDefault ? [] : messages)
        {
            if (protocol == NetfilterProtocol.IcmpV6 && options.NeighborDiscoveryAccepted && NeighborDiscoveryTypes.Contains(message.Type))
            {
                continue;
            }

            var icmp = message.Code is { } code ? new IcmpTypeMatch(message.Type, code, code) : new IcmpTypeMatch(message.Type);
            entries.Add(new NetfilterRule(RuleTarget.Accept) { Protocol = protocol, Icmp = icmp });
        }
    }

    private void AddAllowance(Allowance allowance, List<NetfilterRule> entries, ref int subChain)
    {
        var peers = PeersOfFamily(allowance);
        var ports = allowance.AnyPort ? [PortMatch.Any] : PortMatches(allowance.Ports);
        if (peers.Count == 0 || ports.Count == 0)
        {
            return; // matches nothing in this family
        }

        var comment = TableRenderer.Comment(allowance.Origin);
        var single = peers.Count == 1 ? peers[0] : null;
        if (peers.Count == 1 && (single is null || single.Except.IsDefaultOrEmpty) && ports.Count == 1)
        {
            entries.Add(Rule(RuleTarget.Accept, single?.Cidr, ports[0], comment));
            return;
        }

        subChain++;
        var chain = ChainNaming.For(_tag, iface, ifaceIndex, subChain);
        if (single is not null && !single.Except.IsDefaultOrEmpty)
        {
            entries.Add(Rule(RuleTarget.JumpTo(chain), single.Cidr, PortMatch.Any, comment));
            owned.Add(new NetfilterChain(chain, ExceptChainRules(single, ports)));
            return;
        }

        entries.Add(new NetfilterRule(RuleTarget.JumpTo(chain)) { Comment = comment });
        owned.Add(new NetfilterChain(chain, PeerDispatchRules(peers, ports, subChain)));
    }

    /// <summary>
    /// How many chains <see cref="Write"/> makes for <paramref name="rules"/> in <paramref name="family"/> (the direction's
    /// chain and the sub-chains of its allowances), counted the way <see cref="AddAllowance"/> decides, without building rules.
    /// </summary>
    public static int ChainCount(DirectionRules rules, IpFamily family)
    {
        var count = 1;
        foreach (var allowance in rules.Allowances)
        {
            var (peers, excepted) = allowance.AnyPeer ? (1, 0) : PeerCounts.Of(allowance.Peers, family);

            var ports = allowance.AnyPort ? 1 : PortMatches(allowance.Ports).Count;
            if (peers == 0 || ports == 0 || (peers == 1 && excepted == 0 && ports == 1))
            {
                continue; // nothing in this family, or one direct rule in the direction's chain
            }

            // One sub-chain: the except chain of a single excepted peer, or the dispatch chain and one per excepted peer.
            count += peers == 1 && excepted == 1 ? 1 : 1 + excepted;
        }

        return count;
    }

    /// <summary>Within one allowance: each peer, crossed with each port condition; excepted peers get their own chain.</summary>
    private ImmutableArray<NetfilterRule> PeerDispatchRules(List<PeerMatch?> peers, List<PortMatch> ports, int subChain)
    {
        var rules = ImmutableArray.CreateBuilder<NetfilterRule>();
        var exceptChain = 0;
        foreach (var peer in peers)
        {
            if (peer is not null && !peer.Except.IsDefaultOrEmpty)
            {
                exceptChain++;
                var chain = ChainNaming.For(_tag, iface, ifaceIndex, subChain, exceptChain);
                rules.Add(Rule(RuleTarget.JumpTo(chain), peer.Cidr, PortMatch.Any));
                owned.Add(new NetfilterChain(chain, ExceptChainRules(peer, ports)));
                continue;
            }

            foreach (var port in ports)
            {
                rules.Add(Rule(RuleTarget.Accept, peer?.Cidr, port));
            }
        }

        return rules.ToImmutable();
    }

    /// <summary>Entered only for addresses inside the peer's cidr: excepted ones return, the rest are accepted on the ports.</summary>
    private ImmutableArray<NetfilterRule> ExceptChainRules(PeerMatch peer, List<PortMatch> ports)
    {
        var rules = ImmutableArray.CreateBuilder<NetfilterRule>();
        foreach (var excluded in peer.Except)
        {
            rules.Add(Rule(RuleTarget.Return, excluded, PortMatch.Any));
        }

        foreach (var port in ports)
        {
            rules.Add(Rule(RuleTarget.Accept, null, port));
        }

        return rules.ToImmutable();
    }

    /// <summary>
    /// One allocation per rule: the peer goes to -s for ingress, -d for egress. A /0 peer is no address match
    /// at all (the kernel holds none for it, and iptables-save prints no <c>-s 0.0.0.0/0</c>).
    /// </summary>
    private NetfilterRule Rule(RuleTarget target, IPNetwork? cidr, PortMatch port, string? comment = null)
    {
        var peer = cidr is { PrefixLength: 0 } ? null : cidr;
        return new(target)
        {
            Source = direction == Direction.Ingress ? peer : null,
            Destination = direction == Direction.Egress ? peer : null,
            Protocol = port.Protocol,
            DestinationPorts = port.Ports,
            Comment = comment,
        };
    }

    /// <summary>The peers of this family; a single null entry stands for "any peer".</summary>
    private List<PeerMatch?> PeersOfFamily(Allowance allowance)
    {
        var peers = new List<PeerMatch?>();
        if (allowance.AnyPeer)
        {
            peers.Add(null);
            return peers;
        }

        foreach (var peer in allowance.Peers)
        {
            if (peer.Cidr.BaseAddress.AddressFamily == _addressFamily)
            {
                peers.Add(peer);
            }
        }

        return peers;
    }

    private static readonly byte[] NeighborDiscoveryTypes = [133, 134, 135, 136, 137];

    /// <summary>Per protocol: "every port" or the ports chunked into multiport-sized groups (a range takes two slots).</summary>
    private static List<PortMatch> PortMatches(ImmutableArray<PortRange> ranges)
    {
        var result = new List<PortMatch>();
        foreach (var protocol in (ReadOnlySpan<Protocol>)[Protocol.Tcp, Protocol.Udp, Protocol.Sctp])
        {
            var netfilterProtocol = (NetfilterProtocol)(int)protocol;
            var chunk = ImmutableArray.CreateBuilder<(int From, int To)>();
            var slots = 0;
            var all = false;
            foreach (var range in ranges)
            {
                all |= range.Protocol == protocol && range.From <= 1 && range.To >= PortRange.MaxPort;
            }

            if (all)
            {
                result.Add(new PortMatch(netfilterProtocol, []));
                continue;
            }

            foreach (var range in ranges)
            {
                if (range.Protocol != protocol)
                {
                    continue;
                }

                var cost = range.From == range.To ? 1 : 2;
                if (slots + cost > NetfilterRule.MaxMultiportSlots)
                {
                    result.Add(new PortMatch(netfilterProtocol, chunk.ToImmutable()));
                    chunk.Clear();
                    slots = 0;
                }

                chunk.Add((range.From, range.To));
                slots += cost;
            }

            if (chunk.Count > 0)
            {
                result.Add(new PortMatch(netfilterProtocol, chunk.ToImmutable()));
            }
        }

        return result;
    }
}
