using Mnp.Agent.Host;
using Mnp.Agent.Lab;
using Mnp.Policy.Compiler;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Input;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Input;

/// <summary>
/// The custom-rules file: what it says is read (names and numbers, prefixes, neighbour discovery), every bad field is
/// one line naming it, and both backends render what it allows in every isolated direction and nowhere else.
/// </summary>
public sealed class CustomRulesTests
{
    private const string Good = """
        neighborDiscovery: false
        ingress:
          icmp: [destination-unreachable/fragmentation-needed, 11, redirect/host-redirect, 3/1, "12/0", echo-request/7]
          icmpv6: [packet-too-big, 135, destination-unreachable/port-unreachable, 1/6]
          sources: [fe80::/10, 192.0.2.0/24]
        egress:
          icmpv6: [neighbor-solicitation, time-exceeded/ttl-zero-during-transit]
          destinations: [ff02::/16]
        """;

    [Fact]
    public void A_good_file_is_read_by_name_and_number_with_types_alone_and_type_code_pairs()
    {
        var (rules, errors) = CustomRulesParser.Parse(Good, "rules.yaml");

        Assert.Empty(errors);
        Assert.Equal(["3/1", "3/4", "5/1", "8/7", "11", "12/0"], rules!.Ingress.IcmpMessages.Select(m => m.ToString()));
        Assert.Equal(["1/4", "1/6", "2", "135"], rules.Ingress.Icmpv6Messages.Select(m => m.ToString()));
        Assert.Equal(["fe80::/10", "192.0.2.0/24"], rules.Ingress.Prefixes.Select(p => p.ToString()));
        Assert.Equal(["3/0", "135"], rules.Egress.Icmpv6Messages.Select(m => m.ToString()));
        Assert.Empty(rules.Egress.IcmpMessages);
        Assert.Equal(["ff02::/16"], rules.Egress.Prefixes.Select(p => p.ToString()));
        Assert.False(rules.NeighborDiscovery);
    }

    [Fact]
    public void Duplicates_and_codes_of_a_type_listed_whole_are_dropped()
    {
        var (rules, errors) = CustomRulesParser.Parse("ingress: {icmp: [3/4, destination-unreachable, 3, 3/13, 5/1, redirect/host-redirect]}", "r.yaml");

        Assert.Empty(errors);
        Assert.Equal([new IcmpMessage(3), new IcmpMessage(5, 1)], rules!.Ingress.IcmpMessages.AsEnumerable());
    }

    [Theory]
    [InlineData("icmp: [fragmentation-needed]", "ingress.icmp[0]: \"fragmentation-needed\" is not an ICMP type: it is a code of destination-unreachable, write destination-unreachable/fragmentation-needed")]
    [InlineData("icmp: [300]", "ingress.icmp[0]: 300 is not an ICMP type (a number 0-255 or one of address-mask-reply, ")]
    [InlineData("icmp: [-1]", "ingress.icmp[0]: -1 is not an ICMP type (a number 0-255 or one of ")]
    [InlineData("icmp: [3.5]", "ingress.icmp[0]: 3.5 is not an ICMP type (a number 0-255 or one of ")]
    [InlineData("icmp: [Destination-Unreachable]", "ingress.icmp[0]: \"Destination-Unreachable\" is not an ICMP type (a number 0-255 or one of ")]
    [InlineData("icmp: [300/4]", "ingress.icmp[0]: \"300/4\" is not an ICMP type (a number 0-255 or one of ")]
    [InlineData("icmp: [3/300]", "ingress.icmp[0]: \"3/300\": \"300\" is not an ICMP code of destination-unreachable (a number 0-255 or one of network-unreachable, host-unreachable, ")]
    [InlineData("icmp: [destination-unreachable/ttl-zero-during-transit]", "ingress.icmp[0]: \"destination-unreachable/ttl-zero-during-transit\": \"ttl-zero-during-transit\" is not an ICMP code of destination-unreachable (")]
    [InlineData("icmp: [echo-request/zero]", "ingress.icmp[0]: \"echo-request/zero\": \"zero\" is not an ICMP code of echo-request (a number 0-255; echo-request has no named codes)")]
    [InlineData("icmp: [200/x]", "ingress.icmp[0]: \"200/x\": \"x\" is not an ICMP code of 200 (a number 0-255; 200 has no named codes)")]
    [InlineData("icmp: [3/4/5]", "ingress.icmp[0]: \"3/4/5\" is not an ICMP type: TYPE or TYPE/CODE, e.g. destination-unreachable/port-unreachable or 3/4")]
    [InlineData("icmp: [3/]", "ingress.icmp[0]: \"3/\" is not an ICMP type: TYPE or TYPE/CODE")]
    [InlineData("icmp: [/4]", "ingress.icmp[0]: \"/4\" is not an ICMP type: TYPE or TYPE/CODE")]
    [InlineData("icmp: [{type: 3}]", "ingress.icmp[0]: \"{\\\"type\\\":3}\" is not an ICMP type: TYPE or TYPE/CODE")]
    [InlineData("icmpv6: [destination-unreachable/fragmentation-needed]", "ingress.icmpv6[0]: \"destination-unreachable/fragmentation-needed\": \"fragmentation-needed\" is not an ICMPv6 code of destination-unreachable (a number 0-255 or one of no-route, communication-prohibited, beyond-scope, ")]
    [InlineData("icmpv6: [port-unreachable]", "ingress.icmpv6[0]: \"port-unreachable\" is not an ICMPv6 type: it is a code of destination-unreachable, write destination-unreachable/port-unreachable")]
    [InlineData("icmpv6: [fragmentation-needed]", "ingress.icmpv6[0]: \"fragmentation-needed\" is not an ICMPv6 type (a number 0-255 or one of ")]
    public void A_bad_icmp_entry_is_one_line_naming_the_entry_and_the_part_that_is_wrong(string field, string expected)
    {
        var (rules, errors) = CustomRulesParser.Parse($"ingress: {{{field}}}", "r.yaml");

        Assert.Null(rules);
        var error = Assert.Single(errors);
        Assert.StartsWith("r.yaml: " + expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Each_bad_field_is_one_line_naming_it_and_nothing_is_accepted()
    {
        var (rules, errors) = CustomRulesParser.Parse("""
            neighbordiscovery: yes
            ingress:
              icmp: [redirect, fragmentation-needed, 300]
              destinations: [10.0.0.0/8]
              sources: [10.0.0.0/33, "fe80::"]
            egress: [icmp]
            """, "r.yaml");

        Assert.Null(rules);
        Assert.Equal(
        [
            "r.yaml: \"neighbordiscovery\": unknown field (neighborDiscovery, ingress, egress)",
            "r.yaml: ingress.icmp[1]: \"fragmentation-needed\" is not an ICMP type: it is a code of destination-unreachable, write destination-unreachable/fragmentation-needed",
            "r.yaml: ingress.icmp[2]: 300 is not an ICMP type",
            "r.yaml: ingress.\"destinations\": unknown field (icmp, icmpv6, sources)",
            "r.yaml: ingress.sources[0]: \"10.0.0.0/33\" is not a CIDR: bad prefix length",
            "r.yaml: ingress.sources[1]: \"fe80::\" is not a CIDR: it has no prefix length",
            "r.yaml: egress: must be a mapping of icmp, icmpv6 and destinations",
        ], errors.Select(e => e.Split(" (a number", 2)[0]));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Fact]
    public void Both_backends_accept_what_the_file_allows_in_isolated_directions_only()
    {
        var options = PolicyOptions.Default with { CustomRules = CustomRulesParser.Parse(Good, "rules.yaml").Rules! };
        var snapshot = new TestCluster().Network("x", "net1")
            .Pod("x", "isolated", [("app", "a")], [("x/net1", "net1", ["10.0.0.1", "fd00::1"])])
            .Pod("x", "open", [("app", "b")], [("x/net1", "net1", ["10.0.0.2", "fd00::2"])])
            .Policy(Pol.Ingress("x", "only-a", Sel.Labels(("app", "a"))))
            .Build();
        var compiled = PolicyCompiler.Compile(snapshot, TestCluster.Node, options);
        var isolated = compiled.Single(r => r.Pod.Name == "isolated");

        var v4 = IptablesSaveWriter.Write(TableRenderer.Render(isolated, IpFamily.V4, options));
        var v6 = IptablesSaveWriter.Write(TableRenderer.Render(isolated, IpFamily.V6, options));
        var nft = NftText.Write(NftRenderer.Render(isolated, options)!);

        Assert.Contains("-p icmp -m icmp --icmp-type 3/4 -j ACCEPT", v4, StringComparison.Ordinal);
        Assert.Contains("-p icmp -m icmp --icmp-type 3/1 -j ACCEPT", v4, StringComparison.Ordinal);
        Assert.DoesNotContain("--icmp-type 3 ", v4, StringComparison.Ordinal);
        Assert.Contains("-p icmp -m icmp --icmp-type 11 -j ACCEPT", v4, StringComparison.Ordinal);
        Assert.Contains("-s 192.0.2.0/24", v4, StringComparison.Ordinal);
        Assert.Contains("--icmpv6-type 2 -j ACCEPT", v6, StringComparison.Ordinal);
        Assert.Contains("--icmpv6-type 135 -j ACCEPT", v6, StringComparison.Ordinal);
        Assert.Contains("-p ipv6-icmp -m icmp6 --icmpv6-type 1/4 -j ACCEPT", v6, StringComparison.Ordinal);
        Assert.DoesNotContain("--icmpv6-type 133", v6, StringComparison.Ordinal); // the file turns neighbour discovery off
        Assert.Contains("-s fe80::/10", v6, StringComparison.Ordinal);
        Assert.Contains("mnp/custom-rules ingress[0]", v6, StringComparison.Ordinal);
        Assert.DoesNotContain("ff02::/16", v6, StringComparison.Ordinal); // egress is not isolated
        Assert.Contains("icmp type 3-3 icmp code 4-4 accept", nft, StringComparison.Ordinal);
        Assert.Contains("icmp type 5-5 icmp code 1-1 accept", nft, StringComparison.Ordinal);
        Assert.DoesNotContain("icmp type 3-3 accept", nft, StringComparison.Ordinal);
        Assert.Contains("icmpv6 type 1-1 icmpv6 code 6-6 accept", nft, StringComparison.Ordinal);
        Assert.Contains("icmp type 11-11 accept", nft, StringComparison.Ordinal);
        Assert.Contains("icmpv6 type 2-2 accept", nft, StringComparison.Ordinal);
        Assert.Contains("fe80::/10", nft, StringComparison.Ordinal);
        Assert.DoesNotContain("icmpv6 type 133-137", nft, StringComparison.Ordinal);
        Assert.Null(compiled.Single(r => r.Pod.Name == "open").Interfaces.Single().Ingress.Allowances.FirstOrDefault());
    }

    [Theory]
    [InlineData(IpFamily.V4, 3, 4, true)]
    [InlineData(IpFamily.V4, 3, 1, false)]
    [InlineData(IpFamily.V4, 11, 0, true)]
    [InlineData(IpFamily.V4, 11, 1, true)]
    [InlineData(IpFamily.V4, 5, 1, false)]
    [InlineData(IpFamily.V6, 1, 4, true)]
    [InlineData(IpFamily.V6, 1, 3, false)]
    [InlineData(IpFamily.V6, 2, 0, false)]
    public void Both_backends_accept_a_type_given_with_a_code_for_that_code_only(IpFamily family, byte type, byte code, bool accepted)
    {
        var options = PolicyOptions.Default with
        {
            CustomRules = CustomRulesParser.Parse("ingress: {icmp: [destination-unreachable/fragmentation-needed, 11], icmpv6: [1/port-unreachable]}", "r.yaml").Rules!,
        };
        var snapshot = new TestCluster().Network("x", "net1")
            .Pod("x", "isolated", [("app", "a")], [("x/net1", "net1", ["10.0.0.1", "fd00::1"])])
            .Policy(Pol.Ingress("x", "only-a", Sel.Labels(("app", "a"))))
            .Build();
        var rules = PolicyCompiler.Compile(snapshot, TestCluster.Node, options).Single(r => r.Pod.Name == "isolated");
        var v4 = family == IpFamily.V4;
        var packet = new NetfilterPacket(family, "net1", null, IPAddress.Parse(v4 ? "10.0.0.9" : "fd00::9"), IPAddress.Parse(v4 ? "10.0.0.1" : "fd00::1"),
            v4 ? NetfilterProtocol.Icmp : NetfilterProtocol.IcmpV6, IcmpType: type, IcmpCode: code);

        Assert.Equal(accepted, TableClassifier.Classify(TableRenderer.Render(rules, family, options), packet).Accepted);
        Assert.Equal(accepted, NftClassifier.Accepts(NftRenderer.Render(rules, options), packet));
    }

    [Fact]
    public void The_agent_reads_the_file_at_start_and_names_each_bad_field()
    {
        var good = Path.Combine(Path.GetTempPath(), $"mnp-custom-{Guid.NewGuid():N}.yaml");
        var bad = Path.Combine(Path.GetTempPath(), $"mnp-custom-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(good, Good);
        File.WriteAllText(bad, "ingress: {icmp: [nope]}\n");
        try
        {
            var labs = new LabStore(Path.Combine(Path.GetTempPath(), "mnp-no-labs"));
            var (options, errors) = AgentOptionsReader.Read(f => f == "--custom-rules" ? good : null, _ => "n1", labs);
            Assert.Empty(errors);
            Assert.Contains(new IcmpMessage(3, 4), options!.Policy.CustomRules.Ingress.IcmpMessages);
            Assert.False(options.Policy.NeighborDiscoveryAccepted);

            (options, errors) = AgentOptionsReader.Read(f => f == "--custom-rules" ? bad : null, _ => "n1", labs);
            Assert.Null(options);
            Assert.StartsWith($"--custom-rules {bad}: ingress.icmp[0]: \"nope\" is not an ICMP type", Assert.Single(errors), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(good);
            File.Delete(bad);
        }
    }
}
