using System.Net.Sockets;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Nftables;

/// <summary>
/// The allowances of one direction chain that share one port condition (or every port, <c>null</c>): one rule per
/// family whose peers are the union of theirs, or one rule without a peer match when any of them allows every peer.
/// Accept verdicts commute, so (a ∈ P1 ∧ p ∈ Q) ∨ (a ∈ P2 ∧ p ∈ Q) is a ∈ P1 ∪ P2 ∧ p ∈ Q.
/// </summary>
internal sealed class NftPortGroup(string prefix, NftPortCondition? ports)
{
    private readonly List<NftInterval> _v4 = [];
    private readonly List<NftInterval> _v6 = [];
    private readonly List<RuleOrigin> _origins = [];
    private readonly List<RuleOrigin> _v4Origins = [];
    private readonly List<RuleOrigin> _v6Origins = [];
    private bool _anyPeer;
    private bool _singleAddresses = true;

    public string Prefix => prefix;

    /// <summary>The allowances that gave this group peers of <paramref name="family"/> (a rule's comment names only those).</summary>
    public IReadOnlyList<RuleOrigin> OriginsOf(IpFamily family) => family == IpFamily.V4 ? _v4Origins : _v6Origins;

    /// <summary>
    /// One port of one protocol and single peer addresses only: the group is exact (address, protocol, port) tuples,
    /// which the chain's one concatenated set holds (no rule of its own, one element per peer instead of an interval's two).
    /// </summary>
    public bool IsExact => !_anyPeer && _singleAddresses && ports is { Ranges: [var only] } && only.First == only.Last && only.First > 0;

    /// <summary>Adds one allowance's peers: its exact address ranges per family (<c>cidr − except</c>), unless it allows any peer.</summary>
    public void Add(Allowance allowance, List<NftInterval> v4, List<NftInterval> v6)
    {
        _origins.Add(allowance.Origin);
        _anyPeer |= allowance.AnyPeer;
        AddOrigin(_v4Origins, allowance.Origin, v4.Count > 0);
        AddOrigin(_v6Origins, allowance.Origin, v6.Count > 0);
        if (!_anyPeer)
        {
            _v4.AddRange(v4);
            _v6.AddRange(v6);
            _singleAddresses &= v4.TrueForAll(r => r.First == r.Last) && v6.TrueForAll(r => r.First == r.Last);
        }
    }

    /// <summary>An exact group's tuples, per family (<see cref="IsExact"/>).</summary>
    public void AddTuples(List<NftConcatKey> v4, List<NftConcatKey> v6)
    {
        var (protocol, ranges) = ports!.Value;
        var port = (ushort)ranges[0].First;
        v4.AddRange(_v4.Select(r => new NftConcatKey(r.First, (byte)protocol, port)));
        v6.AddRange(_v6.Select(r => new NftConcatKey(r.First, (byte)protocol, port)));
    }

    public void WriteRules(Direction direction, ImmutableArray<NftRule>.Builder entries, NftSetPool sets)
    {
        var peers = new List<(NftMatch?, IReadOnlyList<RuleOrigin>)>();
        if (_anyPeer)
        {
            peers.Add((null, _origins));
        }
        else
        {
            AddPeers(direction, IpFamily.V4, _v4, peers, sets);
            AddPeers(direction, IpFamily.V6, _v6, peers, sets);
        }

        var port = NftAllowanceRules.PortMatch(prefix, ports, sets);
        foreach (var (peer, origins) in peers)
        {
            var comment = NftRenderer.Comment(origins);
            var matches = ImmutableArray.CreateBuilder<NftMatch>(2);
            if (peer is not null)
            {
                matches.Add(peer);
            }

            if (port is not null)
            {
                matches.Add(port);
            }

            entries.Add(new NftRule(matches.ToImmutable(), NftVerdict.Accept, comment));
        }
    }

    /// <summary>The peers of one family: one address is a plain compare, anything else a (shared) interval set.</summary>
    private void AddPeers(Direction direction, IpFamily family, List<NftInterval> ranges, List<(NftMatch?, IReadOnlyList<RuleOrigin>)> into, NftSetPool sets)
    {
        if (ranges.Count == 0)
        {
            return; // no peer of this family, or every address excepted
        }

        var merged = NftIntervals.Normalize(ranges);
        if (merged.Length == 1 && merged[0].First == merged[0].Last)
        {
            var address = NftIntervals.ToAddress(merged[0].First, family == IpFamily.V6);
            into.Add((direction == Direction.Ingress ? NftMatch.SourceIs(address) : NftMatch.DestinationIs(address), OriginsOf(family)));
            return;
        }

        var type = family == IpFamily.V4 ? NftSetKeyType.Ipv4Address : NftSetKeyType.Ipv6Address;
        var name = sets.Share($"{prefix}-{(family == IpFamily.V4 ? "v4" : "v6")}", type, merged);
        into.Add((direction == Direction.Ingress ? NftMatch.SourceInSet(family, name) : NftMatch.DestinationInSet(family, name), OriginsOf(family)));
    }

    /// <summary>Records <paramref name="origin"/> for a family it gave peers to (once in a row: a rule's allowances often share it).</summary>
    internal static void AddOrigin(List<RuleOrigin> origins, RuleOrigin origin, bool contributed)
    {
        if (contributed && (origins.Count == 0 || origins[^1] != origin))
        {
            origins.Add(origin);
        }
    }

    /// <summary>Splits one allowance's peers by family into exact ranges (the input to <see cref="Add"/>).</summary>
    public static void PeerRanges(Allowance allowance, List<NftInterval> v4, List<NftInterval> v6)
    {
        foreach (var peer in allowance.Peers)
        {
            NftIntervals.AddPeer(peer, peer.Cidr.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? v4 : v6);
        }
    }
}
