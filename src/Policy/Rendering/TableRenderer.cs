using System.Net.Sockets;
using System.Text;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Rendering;

/// <summary>
/// Renders one pod's compiled rules into the part of the <c>filter</c> table we own, for one family.
/// Layout: INPUT <c>-i IF -j MNP-IN-IF</c> per ingress-isolated interface, OUTPUT <c>-o IF -j MNP-EG-IF</c>
/// per egress-isolated one; each direction chain accepts replies, (v6) neighbour discovery, optional ICMP,
/// then one entry per allowance (a direct ACCEPT, or a jump to <c>MNP-xx-IF/k</c>), then DROP (names: <see cref="ChainNaming"/>). A peer with
/// <c>except</c> gets a chain that RETURNs on each except before accepting, so except narrows only its block.
/// </summary>
public static class TableRenderer
{
    private const int MaxCommentBytes = 255;
    private static readonly byte[] NeighborDiscoveryTypes = [133, 134, 135, 136, 137];

    public static NetfilterTable Render(PodRules pod, IpFamily family, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        var input = new List<NetfilterRule>();
        var output = new List<NetfilterRule>();
        var owned = new List<NetfilterChain>();
        var sorted = pod.Interfaces.OrderBy(i => i.Interface, StringComparer.Ordinal).ToList();
        for (var index = 0; index < sorted.Count; index++)
        {
            var iface = sorted[index];
            if (iface.Ingress.Isolated)
            {
                var chain = ChainNaming.For(ChainNaming.IngressTag, iface.Interface, index);
                input.Add(new NetfilterRule(RuleTarget.JumpTo(chain)) { InInterface = iface.Interface });
                new DirectionWriter(iface.Interface, index, Direction.Ingress, family, options, owned).Write(chain, iface.Ingress);
            }

            if (iface.Egress.Isolated)
            {
                var chain = ChainNaming.For(ChainNaming.EgressTag, iface.Interface, index);
                output.Add(new NetfilterRule(RuleTarget.JumpTo(chain)) { OutInterface = iface.Interface });
                new DirectionWriter(iface.Interface, index, Direction.Egress, family, options, owned).Write(chain, iface.Egress);
            }
        }

        // The kernel matches our names exactly, so the order of the jumps does not matter there. In the text,
        // iptables-restore would read a name ending in '+' as a wildcard: those jumps go last (longest first),
        // so a restored script can only send other interfaces' packets into a chain ending in DROP, never
        // past their own chain (narrower, never wider).
        input.Sort(WildcardLookalikesLast(r => r.InInterface!));
        output.Sort(WildcardLookalikesLast(r => r.OutInterface!));

        if (owned.Count == 0)
        {
            return NetfilterTable.Empty(family);
        }

        var chains = ImmutableArray.CreateBuilder<NetfilterChain>();
        if (input.Count > 0)
        {
            chains.Add(new NetfilterChain("INPUT", [.. input]));
        }

        if (output.Count > 0)
        {
            chains.Add(new NetfilterChain("OUTPUT", [.. output]));
        }

        owned.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        chains.AddRange(owned);
        return new NetfilterTable(family, "filter", chains.ToImmutable());
    }

    private static Comparison<NetfilterRule> WildcardLookalikesLast(Func<NetfilterRule, string> name) => (a, b) =>
    {
        var (x, y) = (name(a), name(b));
        var (xPlus, yPlus) = (x.EndsWith('+'), y.EndsWith('+'));
        return xPlus != yPlus ? xPlus.CompareTo(yPlus)
            : xPlus && Encoding.UTF8.GetByteCount(x) != Encoding.UTF8.GetByteCount(y) ? Encoding.UTF8.GetByteCount(y).CompareTo(Encoding.UTF8.GetByteCount(x))
            : string.CompareOrdinal(x, y);
    };

    /// <summary>
    /// The rule comment for an allowance: its origin with control characters shown as <c>?</c> (a newline in a
    /// name would otherwise end the line of a restore script), cut to 255 UTF-8 bytes on a character boundary.
    /// </summary>
    public static string Comment(RuleOrigin origin)
    {
        var raw = origin.ToString();
        var text = string.Create(raw.Length, raw, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) || source[i] is '\u2028' or '\u2029' ? '?' : source[i];
            }
        });
        if (Encoding.UTF8.GetByteCount(text) <= MaxCommentBytes)
        {
            return text;
        }

        var length = text.Length;
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > MaxCommentBytes || char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }

    /// <summary>Writes the chains of one direction of one interface.</summary>
    private sealed class DirectionWriter(string iface, int ifaceIndex, Direction direction, IpFamily family, PolicyOptions options, List<NetfilterChain> owned)
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
                    AddIcmpTypes(entries, NetfilterProtocol.Icmp, custom.IcmpTypes);
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

            AddIcmpTypes(entries, NetfilterProtocol.IcmpV6, custom.Icmpv6Types);
        }

        /// <summary>The custom-rules file's ICMP types (those neighbour discovery already accepts are not repeated).</summary>
        private void AddIcmpTypes(List<NetfilterRule> entries, NetfilterProtocol protocol, ImmutableArray<byte> types)
        {
            foreach (var type in types.IsDefault ? [] : types)
            {
                if (protocol == NetfilterProtocol.IcmpV6 && options.NeighborDiscoveryAccepted && NeighborDiscoveryTypes.Contains(type))
                {
                    continue;
                }

                entries.Add(new NetfilterRule(RuleTarget.Accept) { Protocol = protocol, Icmp = new IcmpTypeMatch(type) });
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

            var comment = Comment(allowance.Origin);
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
    }

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
