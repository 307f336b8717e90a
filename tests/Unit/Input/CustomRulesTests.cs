using Mnp.Agent.Host;
using Mnp.Agent.Lab;
using Mnp.Policy.Compiler;
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
          icmp: [destination-unreachable, 11]
          icmpv6: [packet-too-big, 135]
          sources: [fe80::/10, 192.0.2.0/24]
        egress:
          icmpv6: [neighbor-solicitation]
          destinations: [ff02::/16]
        """;

    [Fact]
    public void A_good_file_is_read_by_name_and_number()
    {
        var (rules, errors) = CustomRulesParser.Parse(Good, "rules.yaml");

        Assert.Empty(errors);
        Assert.Equal([3, 11], rules!.Ingress.IcmpTypes.Select(t => (int)t));
        Assert.Equal([2, 135], rules.Ingress.Icmpv6Types.Select(t => (int)t));
        Assert.Equal(["fe80::/10", "192.0.2.0/24"], rules.Ingress.Prefixes.Select(p => p.ToString()));
        Assert.Equal([135], rules.Egress.Icmpv6Types.Select(t => (int)t));
        Assert.Empty(rules.Egress.IcmpTypes);
        Assert.Equal(["ff02::/16"], rules.Egress.Prefixes.Select(p => p.ToString()));
        Assert.False(rules.NeighborDiscovery);
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
            "r.yaml: ingress.icmp[1]: \"\\\"fragmentation-needed\\\"\" is not an ICMP type",
            "r.yaml: ingress.icmp[2]: \"300\" is not an ICMP type",
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

        Assert.Contains("-p icmp -m icmp --icmp-type 3 -j ACCEPT", v4, StringComparison.Ordinal);
        Assert.Contains("-p icmp -m icmp --icmp-type 11 -j ACCEPT", v4, StringComparison.Ordinal);
        Assert.Contains("-s 192.0.2.0/24", v4, StringComparison.Ordinal);
        Assert.Contains("--icmpv6-type 2 -j ACCEPT", v6, StringComparison.Ordinal);
        Assert.Contains("--icmpv6-type 135 -j ACCEPT", v6, StringComparison.Ordinal);
        Assert.DoesNotContain("--icmpv6-type 133", v6, StringComparison.Ordinal); // the file turns neighbour discovery off
        Assert.Contains("-s fe80::/10", v6, StringComparison.Ordinal);
        Assert.Contains("mnp/custom-rules ingress[0]", v6, StringComparison.Ordinal);
        Assert.DoesNotContain("ff02::/16", v6, StringComparison.Ordinal); // egress is not isolated
        Assert.Contains("icmp type 3-3 accept", nft, StringComparison.Ordinal);
        Assert.Contains("icmp type 11-11 accept", nft, StringComparison.Ordinal);
        Assert.Contains("icmpv6 type 2-2 accept", nft, StringComparison.Ordinal);
        Assert.Contains("fe80::/10", nft, StringComparison.Ordinal);
        Assert.DoesNotContain("icmpv6 type 133-137", nft, StringComparison.Ordinal);
        Assert.Null(compiled.Single(r => r.Pod.Name == "open").Interfaces.Single().Ingress.Allowances.FirstOrDefault());
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
            Assert.Equal([3, 11], options!.Policy.CustomRules.Ingress.IcmpTypes.Select(t => (int)t));
            Assert.False(options.Policy.NeighborDiscoveryAccepted);

            (options, errors) = AgentOptionsReader.Read(f => f == "--custom-rules" ? bad : null, _ => "n1", labs);
            Assert.Null(options);
            Assert.StartsWith($"--custom-rules {bad}: ingress.icmp[0]: \"\\\"nope\\\"\" is not an ICMP type", Assert.Single(errors), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(good);
            File.Delete(bad);
        }
    }
}
