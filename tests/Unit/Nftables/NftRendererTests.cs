using Mnp.Policy.Cluster;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Nftables;

public sealed class NftRendererTests
{
    private static readonly RuleOrigin Origin = new("x/p", Direction.Ingress, 0);

    [Fact]
    public void IpBlock_minus_except_is_an_exact_set_of_intervals_merged_with_the_other_peers()
    {
        var allowance = new Allowance(Origin, false,
            [Peer("10.0.0.0/8", "10.1.0.0/16"), Peer("10.1.2.3/32"), Peer("11.0.0.0/24"), Peer("11.0.1.0/24")], true, []);
        var table = Render(Isolated(Direction.Ingress, allowance))!;

        var set = Assert.Single(table.Sets);
        Assert.Equal("ingress-net1-0-v4", set.Name);
        Assert.Equal(
            ["10.0.0.0/16", "10.1.2.3", "10.2.0.0-11.0.1.255"], // 10.2/15.. and the two adjacent /24s merge into one range,
            set.Elements.Select(e => NftText.Element(set.KeyType, e)));
        Assert.False(set.Contains(NftIntervals.ToKey(IPAddress.Parse("10.1.2.4"))));
        Assert.True(set.Contains(NftIntervals.ToKey(IPAddress.Parse("10.1.2.3"))));
    }

    [Fact]
    public void Ports_become_a_match_a_range_or_a_named_set_per_protocol_and_peers_split_by_family_one_address_without_a_set()
    {
        var allowance = new Allowance(Origin, false, [Peer("10.0.0.1/32"), Peer("10.0.0.3/32"), Peer("fd00::1/128")], false,
            [new PortRange(Protocol.Tcp, 80, 80), new PortRange(Protocol.Tcp, 443, 443), new PortRange(Protocol.Udp, 53, 54), new PortRange(Protocol.Sctp, 1, 65535)]);
        var chain = Render(Isolated(Direction.Ingress, allowance))!.Chains.Single(c => c.Name == "ingress-net1");

        Assert.Equal(
        [
            "icmpv6 type 133-137 accept",
            "ip saddr @ingress-net1-0-v4 tcp dport @ingress-net1-0-tcp accept comment \"x/p ingress[0]\"",
            "ip6 saddr fd00::1 tcp dport @ingress-net1-0-tcp accept comment \"x/p ingress[0]\"",
            "ip saddr @ingress-net1-0-v4 udp dport 53-54 accept comment \"x/p ingress[0]\"",
            "ip6 saddr fd00::1 udp dport 53-54 accept comment \"x/p ingress[0]\"",
            "ip saddr @ingress-net1-0-v4 meta l4proto sctp accept comment \"x/p ingress[0]\"",
            "ip6 saddr fd00::1 meta l4proto sctp accept comment \"x/p ingress[0]\"",
            "drop comment \"mnp: ingress default deny\"",
        ],
            chain.Rules.Select(NftText.Rule));
    }

    [Fact]
    public void Allowances_with_the_same_ports_are_one_rule_over_the_union_of_their_peers_named_after_every_rule()
    {
        PortRange[] ports = [new(Protocol.Tcp, 80, 80), new(Protocol.Tcp, 443, 443)];
        var table = Render(Isolated(Direction.Ingress,
            new Allowance(Origin, false, [Peer("10.0.0.1/32"), Peer("10.0.0.3/32")], false, [.. ports]),
            new Allowance(Origin with { Rule = 1 }, false, [Peer("10.0.0.1/32"), Peer("fd00::1/128")], false, [.. ports]),
            new Allowance(Origin with { Rule = 3 }, false, [Peer("10.0.1.0/24", "10.0.1.128/25")], false, [new(Protocol.Tcp, 443, 443), new(Protocol.Tcp, 80, 80)]),
            new Allowance(new RuleOrigin("y/q", Direction.Ingress, 0), false, [Peer("10.0.0.2/32")], false, [new(Protocol.Udp, 53, 53)])))!;

        var v4 = table.Sets.Single(s => s.Name == "ingress-net1-0-v4");
        Assert.Equal(["10.0.0.1", "10.0.0.3", "10.0.1.0/25"], v4.Elements.Select(e => NftText.Element(v4.KeyType, e)));
        Assert.Equal(["ingress-net1-0-v4", "ingress-net1-0-tcp"], table.Sets.Select(s => s.Name));
        Assert.Equal(
            ["ip saddr @ingress-net1-0-v4 tcp dport @ingress-net1-0-tcp accept comment \"x/p ingress[0-1,3]\"",
             "ip6 saddr fd00::1 tcp dport @ingress-net1-0-tcp accept comment \"x/p ingress[1]\"", // only rule 1 has an IPv6 peer
             "ip saddr 10.0.0.2 udp dport 53 accept comment \"y/q ingress[0]\""],
            table.Chains.Single(c => c.Name == "ingress-net1").Rules.Skip(1).SkipLast(1).Select(NftText.Rule));
    }

    [Fact]
    public void Sets_with_the_same_content_are_shared_under_the_first_users_name()
    {
        PeerMatch[] peers = [Peer("10.0.0.1/32"), Peer("10.0.0.3/32")];
        var table = Render(Isolated(Direction.Ingress,
            new Allowance(Origin, false, [.. peers], false, [new(Protocol.Tcp, 80, 80), new(Protocol.Tcp, 443, 443)]),
            new Allowance(Origin with { Rule = 1 }, false, [.. peers], false, [new(Protocol.Sctp, 80, 80), new(Protocol.Sctp, 443, 443)])))!;

        Assert.Equal(["ingress-net1-0-v4", "ingress-net1-0-tcp"], table.Sets.Select(s => s.Name));
        Assert.Equal(
            ["ip saddr @ingress-net1-0-v4 tcp dport @ingress-net1-0-tcp accept comment \"x/p ingress[0]\"",
             "ip saddr @ingress-net1-0-v4 sctp dport @ingress-net1-0-tcp accept comment \"x/p ingress[1]\""],
            table.Chains.Single(c => c.Name == "ingress-net1").Rules.Skip(1).SkipLast(1).Select(NftText.Rule));
    }

    [Fact]
    public void An_allowance_of_every_peer_takes_its_ports_group_without_an_address_match()
    {
        var table = Render(Isolated(Direction.Ingress,
            new Allowance(Origin, false, [Peer("10.0.0.1/32")], false, [new(Protocol.Tcp, 80, 80)]),
            new Allowance(Origin with { Rule = 1 }, true, [], false, [new(Protocol.Tcp, 80, 80)]),
            new Allowance(Origin with { Rule = 2 }, false, [Peer("10.0.0.9/32")], false, [new(Protocol.Tcp, 81, 81)])))!;

        Assert.Empty(table.Sets);
        Assert.Equal(
            ["tcp dport 80 accept comment \"x/p ingress[0-1]\"", "ip saddr 10.0.0.9 tcp dport 81 accept comment \"x/p ingress[2]\""],
            table.Chains.Single(c => c.Name == "ingress-net1").Rules.Skip(1).SkipLast(1).Select(NftText.Rule));
    }

    [Fact]
    public void A_shared_rules_comment_lists_policies_and_rule_ranges_and_counts_what_does_not_fit()
    {
        RuleOrigin[] two = [new("a/p", Direction.Egress, 4), new("b/q", Direction.Egress, 0), new("a/p", Direction.Egress, 2), new("a/p", Direction.Egress, 3), new("a/p", Direction.Egress, 3)];
        Assert.Equal("a/p egress[2-4], b/q egress[0]", NftRenderer.Comment(two));

        var many = Enumerable.Range(0, 40).Select(i => new RuleOrigin($"ns/policy-{i:D2}", Direction.Ingress, i % 3)).ToArray();
        var comment = NftRenderer.Comment(many);
        Assert.True(comment.Length <= NftRenderer.MaxCommentLength, comment);
        var shown = comment.Split(", ").Count(p => p.StartsWith("ns/policy-", StringComparison.Ordinal));
        Assert.EndsWith($", +{40 - shown} more", comment, StringComparison.Ordinal);
        Assert.StartsWith("ns/policy-00 ingress[0], ns/policy-01 ingress[1], ", comment, StringComparison.Ordinal);
        Assert.True(comment.Length + ", ns/policy-99 ingress[0]".Length > NftRenderer.MaxCommentLength - ", +99 more".Length, "another entry would have fitted");

        // A first entry that does not fit beside the count is cut to leave room for it.
        var tooLong = new[] { new RuleOrigin(new string('n', 200), Direction.Ingress, 0), new RuleOrigin("x/y", Direction.Ingress, 1) };
        Assert.Equal(new string('n', NftRenderer.MaxCommentLength - ", +1 more".Length) + ", +1 more", NftRenderer.Comment(tooLong));
        var almost = new[] { new RuleOrigin("ns/" + new string('a', 110), Direction.Ingress, 0), new RuleOrigin("x/y", Direction.Ingress, 1) };
        Assert.Equal(("ns/" + new string('a', 110) + " ingress[0]")[..(NftRenderer.MaxCommentLength - ", +1 more".Length)] + ", +1 more", NftRenderer.Comment(almost));
        var onePolicy = new[] { new RuleOrigin(new string('p', 200), Direction.Ingress, 0), new RuleOrigin(new string('p', 200), Direction.Ingress, 1) };
        Assert.Equal(new string('p', NftRenderer.MaxCommentLength), NftRenderer.Comment(onePolicy));
    }

    [Fact]
    public void Egress_matches_destinations_on_the_output_hook_and_base_chains_accept_replies_first()
    {
        var table = Render(Isolated(Direction.Egress, new Allowance(Origin with { Direction = Direction.Egress }, false, [Peer("192.0.2.0/24")], true, [])))!;

        var output = Assert.Single(table.Chains, c => c.Hook == NftHook.Output);
        Assert.Equal(["ct state established,related accept", "oifname \"net1\" jump egress-net1"], output.Rules.Select(NftText.Rule));
        Assert.DoesNotContain(table.Chains, c => c.Hook == NftHook.Input);
        Assert.Contains("ip daddr @egress-net1-0-v4 accept comment \"x/p egress[0]\"", table.Chains.Single(c => c.Name == "egress-net1").Rules.Select(NftText.Rule));
    }

    [Fact]
    public void Nothing_governed_renders_no_table_and_empty_allowances_render_no_rule()
    {
        var open = new InterfaceRules("net1", new NetworkRef("x", "n"), [], DirectionRules.Open, DirectionRules.Open);
        Assert.Null(NftRenderer.Render(new PodRules(null!, [open]), PolicyOptions.Default));

        var empty = Render(Isolated(Direction.Ingress, new Allowance(Origin, false, [], true, []), new Allowance(Origin, true, [], false, [])))!;
        Assert.Empty(empty.Sets);
        Assert.Equal(2, empty.Chains.Single(c => c.Name == "ingress-net1").Rules.Length); // neighbour discovery and drop
    }

    [Fact]
    public void Icmp_options_and_names_that_are_not_plain_identifiers_get_their_position()
    {
        var options = PolicyOptions.Default with { AcceptIcmp = true, AcceptIcmpV6 = true };
        var rules = new InterfaceRules("we:rd\"if", new NetworkRef("x", "n"), [], new DirectionRules(true, ["x/p"], []), DirectionRules.Open);
        var table = NftRenderer.Render(new PodRules(null!, [rules]), options)!;

        var chain = table.Chains.Single(c => c.Hook is null);
        Assert.Equal("ingress_0", chain.Name);
        Assert.Equal(["ip protocol icmp accept", "meta l4proto ipv6-icmp accept", "drop comment \"mnp: ingress default deny\""], chain.Rules.Select(NftText.Rule));
        Assert.Equal("x/a 'q' ingress[3]", NftRenderer.Comment(new RuleOrigin("x/a \"q\"", Direction.Ingress, 3)));
        Assert.Equal(NftRenderer.MaxCommentLength, NftRenderer.Comment(new RuleOrigin(new string('a', 300), Direction.Ingress, 0)).Length);
    }

    [Fact]
    public void Set_elements_wrap_as_nft_prints_them()
    {
        var v4 = new NftSet("s", NftSetKeyType.Ipv4Address, [.. Enumerable.Range(1, 3).Select(i => new NftInterval((uint)i, (uint)i))]);
        var ports = new NftSet("p", NftSetKeyType.InetService, [.. Enumerable.Range(1, 6).Select(i => new NftInterval((uint)i, (uint)i))]);
        var text = NftText.Write(new NftTable("mnp", "mnp/v1", [v4, ports], []));

        Assert.Contains("elements = { 0.0.0.1, 0.0.0.2,\n\t\t\t     0.0.0.3 }", text, StringComparison.Ordinal);
        Assert.Contains("elements = { 1, 2, 3, 4, 5,\n\t\t\t     6 }", text, StringComparison.Ordinal);
        Assert.Equal("::/0", NftText.Element(NftSetKeyType.Ipv6Address, new NftInterval(0, UInt128.MaxValue)));
    }

    private static PeerMatch Peer(string cidr, params string[] except) => new(IPNetwork.Parse(cidr), [.. except.Select(IPNetwork.Parse)]);

    private static InterfaceRules Isolated(Direction direction, params Allowance[] allowances)
    {
        var rules = new DirectionRules(true, ["x/p"], [.. allowances]);
        return direction == Direction.Ingress
            ? new InterfaceRules("net1", new NetworkRef("x", "n"), [], rules, DirectionRules.Open)
            : new InterfaceRules("net1", new NetworkRef("x", "n"), [], DirectionRules.Open, rules);
    }

    private static NftTable? Render(InterfaceRules rules) => NftRenderer.Render(new PodRules(null!, [rules]), PolicyOptions.Default);
}
