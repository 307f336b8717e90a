using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Input;

public sealed class MultiNetworkPolicyParserTests
{
    private const string FailClosed = "the policy cannot be understood: it isolates every pod of its namespace on its networks and allows nothing";

    private static Parsed<PolicyInfo> Parse(string specYaml, string? policyFor = "net1") =>
        MultiNetworkPolicyParser.Parse(InputYaml.Policy(specYaml, policyFor));

    private static PolicyRule SingleIngressRule(Parsed<PolicyInfo> parsed) => Assert.Single(parsed.Value.Spec!.Ingress);

    private static Problem SingleProblem(Parsed<PolicyInfo> parsed) => Assert.Single(parsed.Problems);

    [Fact]
    public void Reads_name_namespace_policy_for_and_selector()
    {
        var parsed = Parse("podSelector: {matchLabels: {pod: a}}\ningress: [{}]", policyFor: "net1, other/net2 ,net1");

        Assert.Empty(parsed.Problems);
        Assert.Equal("x/p", parsed.Value.Key);
        Assert.Equal([new NetworkRef("x", "net1"), new NetworkRef("other", "net2")], parsed.Value.PolicyFor.AsEnumerable());
        Assert.Equal("pod In [a]", SelectorText.Of(parsed.Value.Spec!.PodSelector));
    }

    [Fact]
    public void Both_api_versions_read_the_same()
    {
        var v1 = MultiNetworkPolicyParser.Parse(InputYaml.Policy("podSelector: {}\ningress: [{}]", apiVersion: "k8s.cni.cncf.io/v1beta1"));
        var v2 = MultiNetworkPolicyParser.Parse(InputYaml.Policy("podSelector: {}\ningress: [{}]", apiVersion: "k8s.cni.cncf.io/v1beta2"));

        Assert.Equal(v1.Value.PolicyFor.AsEnumerable(), v2.Value.PolicyFor.AsEnumerable());
        Assert.Equal(v1.Value.Spec!.Ingress[0].AnyPeer, v2.Value.Spec!.Ingress[0].AnyPeer);
    }

    [Fact]
    public void Missing_policy_for_applies_to_nothing_and_is_reported()
    {
        var parsed = Parse("podSelector: {}", policyFor: null);

        Assert.Empty(parsed.Value.PolicyFor);
        var problem = SingleProblem(parsed);
        Assert.Equal("metadata.annotations[k8s.v1.cni.cncf.io/policy-for]", problem.Field);
        Assert.Equal("missing: the policy applies to no network", problem.Message);
        Assert.Equal("MultiNetworkPolicy x/p: metadata.annotations[k8s.v1.cni.cncf.io/policy-for]: missing: the policy applies to no network", problem.ToString());
    }

    [Fact]
    public void Blank_policy_for_names_no_network()
    {
        var parsed = Parse("podSelector: {}", policyFor: " , ");

        Assert.Empty(parsed.Value.PolicyFor);
        Assert.Equal("names no network: the policy applies to no network", SingleProblem(parsed).Message);
    }

    [Fact]
    public void Bad_policy_for_entry_is_dropped_and_the_rest_kept()
    {
        var parsed = Parse("podSelector: {}", policyFor: "a/b/c, net2");

        Assert.Equal([new NetworkRef("x", "net2")], parsed.Value.PolicyFor.AsEnumerable());
        Assert.Equal("\"a/b/c\" is not a network name (nad or namespace/nad); ignored", SingleProblem(parsed).Message);
    }

    [Theory]
    [InlineData("podSelector: {}", true, false)]
    [InlineData("podSelector: {}\negress: []", true, false)]
    [InlineData("podSelector: {}\negress: [{}]", true, true)]
    [InlineData("podSelector: {}\npolicyTypes: []\negress: [{}]", true, true)]
    [InlineData("podSelector: {}\npolicyTypes: [Egress]", false, true)]
    [InlineData("podSelector: {}\npolicyTypes: [Ingress]\negress: [{}]", true, false)]
    [InlineData("podSelector: {}\npolicyTypes: [Ingress, Egress]", true, true)]
    public void Policy_types_default_as_the_Kubernetes_API_does(string spec, bool ingress, bool egress)
    {
        var parsed = Parse(spec);

        Assert.Equal(ingress, parsed.Value.Spec!.AffectsIngress);
        Assert.Equal(egress, parsed.Value.Spec.AffectsEgress);
    }

    [Fact]
    public void An_egress_rule_that_is_not_an_object_still_counts_for_defaulting()
    {
        var parsed = Parse("podSelector: {}\negress: [42]");

        Assert.True(parsed.Value.Spec!.AffectsEgress);
        Assert.Empty(parsed.Value.Spec.Egress);
    }

    [Theory]
    [InlineData("podSelector: {}\npolicyTypes: [ingress]", "spec.policyTypes[0]", "unknown policy type the string \"ingress\" (must be Ingress or Egress): " + FailClosed)]
    [InlineData("podSelector: {}\npolicyTypes: [Ingress, Both]", "spec.policyTypes[1]", "unknown policy type the string \"Both\" (must be Ingress or Egress): " + FailClosed)]
    [InlineData("podSelector: {}\npolicyTypes: Ingress", "spec.policyTypes", "must be a list, not the string \"Ingress\": " + FailClosed)]
    [InlineData("podSelector: {}\ningress: {from: []}", "spec.ingress", "must be a list, not an object: " + FailClosed)]
    [InlineData("podSelector: {}\negress: allow", "spec.egress", "must be a list, not the string \"allow\": " + FailClosed)]
    public void Unintelligible_policy_types_or_rule_lists_fail_closed(string spec, string field, string message)
    {
        var parsed = Parse(spec);

        Assert.Null(parsed.Value.Spec);
        Assert.Equal([new NetworkRef("x", "net1")], parsed.Value.PolicyFor.AsEnumerable());
        var problem = SingleProblem(parsed);
        Assert.Equal(field, problem.Field);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Invalid_pod_selector_fails_closed()
    {
        var parsed = Parse("podSelector: {matchExpressions: [{key: pod, operator: Equals, values: [a]}]}\ningress: [{}]");

        Assert.Null(parsed.Value.Spec);
        Assert.Equal(
            ["spec.podSelector.matchExpressions[0].operator: unknown operator \"Equals\": must be In, NotIn, Exists or DoesNotExist", "spec.podSelector: " + FailClosed],
            parsed.Problems.Select(p => $"{p.Field}: {p.Message}"));
    }

    [Fact]
    public void Every_unintelligible_part_is_reported_at_once()
    {
        var parsed = Parse("podSelector: []\npolicyTypes: [Both]\ningress: {}");

        Assert.Null(parsed.Value.Spec);
        Assert.Equal(["spec.podSelector", "spec.podSelector", "spec.ingress", "spec.policyTypes[0]"], parsed.Problems.Select(p => p.Field));
    }

    [Fact]
    public void Missing_or_broken_spec_fails_closed()
    {
        var noSpec = MultiNetworkPolicyParser.Parse(InputYaml.Element("{metadata: {name: p, namespace: x, annotations: {k8s.v1.cni.cncf.io/policy-for: net1}}}"));
        var listSpec = MultiNetworkPolicyParser.Parse(InputYaml.Element("{metadata: {name: p, namespace: x, annotations: {k8s.v1.cni.cncf.io/policy-for: net1}}, spec: []}"));

        Assert.Null(noSpec.Value.Spec);
        Assert.Equal("spec: must be an object: " + FailClosed, $"{SingleProblem(noSpec).Field}: {SingleProblem(noSpec).Message}");
        Assert.Null(listSpec.Value.Spec);
    }

    [Fact]
    public void Absent_pod_selector_selects_every_pod_as_the_Go_zero_value_does()
    {
        var parsed = Parse("ingress: [{}]");

        Assert.Empty(parsed.Problems);
        Assert.Empty(parsed.Value.Spec!.PodSelector.Requirements);
    }

    [Fact]
    public void Missing_namespace_means_the_default_namespace()
    {
        var parsed = MultiNetworkPolicyParser.Parse(InputYaml.Element("{metadata: {name: p, annotations: {k8s.v1.cni.cncf.io/policy-for: net1}}, spec: {}}"));

        Assert.Equal("default/p", parsed.Value.Key);
        Assert.Equal([new NetworkRef("default", "net1")], parsed.Value.PolicyFor.AsEnumerable());
    }

    [Theory]
    [InlineData("ingress: [{}]")]
    [InlineData("ingress: [{from: [], ports: []}]")]
    [InlineData("ingress: [{from: null, ports: null}]")]
    public void Absent_or_empty_peers_and_ports_mean_any(string spec)
    {
        var rule = SingleIngressRule(Parse(spec));

        Assert.True(rule.AnyPeer);
        Assert.True(rule.AnyPort);
        Assert.Equal(0, rule.Index);
    }

    [Fact]
    public void Peers_read_into_pod_and_ip_block_peers()
    {
        var rule = SingleIngressRule(Parse("""
            ingress:
            - from:
              - podSelector: {matchLabels: {pod: b}}
              - namespaceSelector: {matchLabels: {ns: y}}
              - namespaceSelector: {}
                podSelector: {matchLabels: {pod: c}}
              - ipBlock: {cidr: 10.10.1.12/24, except: [10.10.1.16/28]}
              - ipBlock: {cidr: "fd00::1/64"}
            """));

        Assert.False(rule.AnyPeer);
        Assert.Collection(
            rule.Peers,
            p =>
            {
                var peer = Assert.IsType<PodPeer>(p);
                Assert.Null(peer.NamespaceSelector);
                Assert.Equal("pod In [b]", SelectorText.Of(peer.PodSelector));
            },
            p =>
            {
                var peer = Assert.IsType<PodPeer>(p);
                Assert.Equal("ns In [y]", SelectorText.Of(peer.NamespaceSelector));
                Assert.Empty(peer.PodSelector.Requirements);
            },
            p =>
            {
                var peer = Assert.IsType<PodPeer>(p);
                Assert.Empty(peer.NamespaceSelector!.Requirements);
                Assert.Equal("pod In [c]", SelectorText.Of(peer.PodSelector));
            },
            p =>
            {
                var peer = Assert.IsType<IpBlockPeer>(p);
                Assert.Equal(IPNetwork.Parse("10.10.1.0/24"), peer.Cidr);
                Assert.Equal([IPNetwork.Parse("10.10.1.16/28")], peer.Except.AsEnumerable());
            },
            p => Assert.Equal(IPNetwork.Parse("fd00::/64"), Assert.IsType<IpBlockPeer>(p).Cidr));
    }

    [Fact]
    public void Pod_selector_only_peer_has_no_namespace_selector()
    {
        var peer = Assert.IsType<PodPeer>(SingleIngressRule(Parse("ingress: [{from: [{podSelector: {}}]}]")).Peers.Single());

        Assert.Null(peer.NamespaceSelector);
        Assert.Empty(peer.PodSelector.Requirements);
    }

    [Theory]
    [InlineData("{}", "spec.ingress[0].from[0]", "empty peer: needs podSelector, namespaceSelector or ipBlock: peer ignored")]
    [InlineData("{podselector: {}}", "spec.ingress[0].from[0]", "empty peer: needs podSelector, namespaceSelector or ipBlock: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}", "spec.ingress[0].from[0]", "ipBlock cannot be combined with podSelector or namespaceSelector: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0.0/8}, namespaceSelector: {}}", "spec.ingress[0].from[0]", "ipBlock cannot be combined with podSelector or namespaceSelector: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0.1}}", "spec.ingress[0].from[0].ipBlock.cidr", "\"10.0.0.1\" is not a CIDR: it has no prefix length: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0.0/33}}", "spec.ingress[0].from[0].ipBlock.cidr", "\"10.0.0.0/33\" is not a CIDR: bad prefix length: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0/8}}", "spec.ingress[0].from[0].ipBlock.cidr", "\"10.0.0/8\" is not a CIDR: bad address: peer ignored")]
    [InlineData("{ipBlock: {}}", "spec.ingress[0].from[0].ipBlock.cidr", "must be a CIDR string: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}}", "spec.ingress[0].from[0].ipBlock.except[0]", "\"10.0.0.0/8\" is not strictly inside cidr 10.0.0.0/8 of the same family: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}", "spec.ingress[0].from[0].ipBlock.except[0]", "\"11.0.0.0/16\" is not strictly inside cidr 10.0.0.0/8 of the same family: peer ignored")]
    [InlineData("{ipBlock: {cidr: 0.0.0.0/0, except: [\"fd00::/64\"]}}", "spec.ingress[0].from[0].ipBlock.except[0]", "\"fd00::/64\" is not strictly inside cidr 0.0.0.0/0 of the same family: peer ignored")]
    [InlineData("{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0]}}", "spec.ingress[0].from[0].ipBlock.except[0]", "\"10.1.0.0\" is not a CIDR: it has no prefix length: peer ignored")]
    [InlineData("{podSelector: {matchLabels: {pod: \"a b\"}}}", "spec.ingress[0].from[0]", "invalid selector: peer ignored")]
    [InlineData("{namespaceSelector: {matchExpressions: [{key: ns, operator: Exists, values: [x]}]}}", "spec.ingress[0].from[0]", "invalid selector: peer ignored")]
    [InlineData("peer", "spec.ingress[0].from[0]", "must be an object, not the string \"peer\": peer ignored")]
    public void Invalid_peers_are_dropped_and_never_widen(string peerYaml, string field, string message)
    {
        var parsed = Parse($"ingress: [{{from: [{peerYaml}]}}]");

        var rule = SingleIngressRule(parsed);
        Assert.False(rule.AnyPeer);
        Assert.Empty(rule.Peers);
        var problem = parsed.Problems[^1];
        Assert.Equal(field, problem.Field);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Only_the_invalid_peer_is_dropped()
    {
        var parsed = Parse("egress: [{to: [{}, {podSelector: {}}]}]");

        var rule = Assert.Single(parsed.Value.Spec!.Egress);
        Assert.IsType<PodPeer>(Assert.Single(rule.Peers));
        Assert.Equal("spec.egress[0].to[0]", SingleProblem(parsed).Field);
    }

    [Theory]
    [InlineData("{}", Protocol.Tcp, null, null, null)]
    [InlineData("{protocol: UDP}", Protocol.Udp, null, null, null)]
    [InlineData("{protocol: SCTP, port: 81}", Protocol.Sctp, 81, null, null)]
    [InlineData("{port: 80}", Protocol.Tcp, 80, null, null)]
    [InlineData("{port: 53, endPort: 80}", Protocol.Tcp, 53, 80, null)]
    [InlineData("{port: 80, endPort: 80}", Protocol.Tcp, 80, 80, null)]
    [InlineData("{port: 1, endPort: 65535}", Protocol.Tcp, 1, 65535, null)]
    [InlineData("{protocol: UDP, port: serve-81-udp}", Protocol.Udp, null, null, "serve-81-udp")]
    [InlineData("{port: http, protocol: null}", Protocol.Tcp, null, null, "http")]
    public void Ports_read_with_TCP_as_default(string portYaml, Protocol protocol, int? port, int? endPort, string? name)
    {
        var parsed = Parse($"ingress: [{{ports: [{portYaml}]}}]");

        Assert.Empty(parsed.Problems);
        var rule = SingleIngressRule(parsed);
        Assert.False(rule.AnyPort);
        Assert.Equal(new PortSpec(protocol, port, endPort, name), Assert.Single(rule.Ports));
    }

    [Theory]
    [InlineData("{protocol: \"\"}", "spec.ingress[0].ports[0].protocol", "unknown protocol the string \"\" (must be TCP, UDP or SCTP): port ignored")]
    [InlineData("{protocol: tcp}", "spec.ingress[0].ports[0].protocol", "unknown protocol the string \"tcp\" (must be TCP, UDP or SCTP): port ignored")]
    [InlineData("{protocol: ICMP}", "spec.ingress[0].ports[0].protocol", "unknown protocol the string \"ICMP\" (must be TCP, UDP or SCTP): port ignored")]
    [InlineData("{port: 0}", "spec.ingress[0].ports[0].port", "port 0 is out of range 1..65535: port ignored")]
    [InlineData("{port: 65536}", "spec.ingress[0].ports[0].port", "port 65536 is out of range 1..65535: port ignored")]
    [InlineData("{port: -1}", "spec.ingress[0].ports[0].port", "port -1 is out of range 1..65535: port ignored")]
    [InlineData("{port: 80.5}", "spec.ingress[0].ports[0].port", "port 80.5 is not an integer: port ignored")]
    [InlineData("{port: \"80\"}", "spec.ingress[0].ports[0].port", "invalid port name \"80\": must contain at least one letter (a number written as a string is a port name): port ignored")]
    [InlineData("{port: HTTP}", "spec.ingress[0].ports[0].port", "invalid port name \"HTTP\": must contain only lowercase alphanumeric characters and '-': port ignored")]
    [InlineData("{port: a-very-long-port-name}", "spec.ingress[0].ports[0].port", "invalid port name \"a-very-long-port-name\": must be 1 to 15 characters: port ignored")]
    [InlineData("{port: web--80}", "spec.ingress[0].ports[0].port", "invalid port name \"web--80\": must not begin or end with '-' nor contain '--': port ignored")]
    [InlineData("{port: \"\"}", "spec.ingress[0].ports[0].port", "invalid port name \"\": must be 1 to 15 characters: port ignored")]
    [InlineData("{port: true}", "spec.ingress[0].ports[0].port", "must be a number or a port name, not the boolean true: port ignored")]
    [InlineData("{endPort: 90}", "spec.ingress[0].ports[0].endPort", "requires a numeric port: port ignored")]
    [InlineData("{port: http, endPort: 90}", "spec.ingress[0].ports[0].endPort", "requires a numeric port, not a port name: port ignored")]
    [InlineData("{port: 90, endPort: 80}", "spec.ingress[0].ports[0].endPort", "endPort 80 is below port 90: port ignored")]
    [InlineData("{port: 90, endPort: 65536}", "spec.ingress[0].ports[0].endPort", "the number 65536 is not a port number in 1..65535: port ignored")]
    [InlineData("{port: 90, endPort: \"100\"}", "spec.ingress[0].ports[0].endPort", "the string \"100\" is not a port number in 1..65535: port ignored")]
    [InlineData("80", "spec.ingress[0].ports[0]", "must be an object, not the number 80: port ignored")]
    public void Invalid_ports_are_dropped_and_never_widen(string portYaml, string field, string message)
    {
        var parsed = Parse($"ingress: [{{ports: [{portYaml}]}}]");

        var rule = SingleIngressRule(parsed);
        Assert.False(rule.AnyPort);
        Assert.Empty(rule.Ports);
        var problem = SingleProblem(parsed);
        Assert.Equal(field, problem.Field);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Only_the_invalid_port_is_dropped()
    {
        var parsed = Parse("ingress: [{ports: [{port: 0}, {port: 81, protocol: UDP}]}]");

        Assert.Equal(new PortSpec(Protocol.Udp, 81, null, null), Assert.Single(SingleIngressRule(parsed).Ports));
    }

    [Theory]
    [InlineData("ingress: [42, {}]", "spec.ingress[0]", "must be an object, not the number 42: the rule contributes nothing")]
    [InlineData("ingress: [{from: {podSelector: {}}}, {}]", "spec.ingress[0].from", "must be a list, not an object: the rule contributes nothing")]
    [InlineData("ingress: [{ports: {port: 80}}, {}]", "spec.ingress[0].ports", "must be a list, not an object: the rule contributes nothing")]
    public void Broken_rules_contribute_nothing_and_others_keep_their_index(string spec, string field, string message)
    {
        var parsed = Parse(spec);

        var rule = SingleIngressRule(parsed);
        Assert.Equal(1, rule.Index);
        var problem = SingleProblem(parsed);
        Assert.Equal(field, problem.Field);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Rule_indexes_follow_list_positions_in_both_directions()
    {
        var parsed = Parse("policyTypes: [Ingress, Egress]\ningress: [{}, {ports: [{port: 80}]}]\negress: [{}, {}, {}]");

        Assert.Equal([0, 1], parsed.Value.Spec!.Ingress.Select(r => r.Index));
        Assert.Equal([0, 1, 2], parsed.Value.Spec.Egress.Select(r => r.Index));
    }

    [Fact]
    public void Egress_uses_to_not_from()
    {
        var parsed = Parse("egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16}}], from: [{podSelector: {}}]}]");

        var peer = Assert.IsType<IpBlockPeer>(Assert.Single(Assert.Single(parsed.Value.Spec!.Egress).Peers));
        Assert.Equal(IPNetwork.Parse("192.168.0.0/16"), peer.Cidr);
    }
}
