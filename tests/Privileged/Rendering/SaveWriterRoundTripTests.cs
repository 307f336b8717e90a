using System.Text.RegularExpressions;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Privileged.Rendering;

/// <summary>
/// Renders compiled models, loads them with iptables-legacy-restore into a fresh namespace, reads them back
/// with iptables-legacy-save and requires byte equality (minus # lines, counters zeroed).
/// </summary>
public sealed partial class SaveWriterRoundTripTests
{
    internal static readonly string[] Models = ["ingress-pods-ports", "egress-except-named", "icmp-options", "custom-rules", "many-ports-long-interface", "zero-blocks", "egress-named-per-destination", "ingress-exact-tuples", "unparsable"];

    /// <summary>The custom-rules model's file: types alone and type/code pairs, by name and number, and prefixes.</summary>
    internal const string CustomRulesFile = """
        ingress:
          icmp: [destination-unreachable/fragmentation-needed, 11, redirect/1]
          icmpv6: [packet-too-big, 1/port-unreachable, echo-request]
          sources: [fe80::/10, 192.0.2.0/24]
        egress:
          icmp: [echo-request, time-exceeded/ttl-zero-during-reassembly]
          icmpv6: [destination-unreachable, neighbor-advertisement, parameter-problem/0]
          destinations: [ff02::/16]
        """;

    /// <summary>The options each model is rendered with.</summary>
    internal static PolicyOptions OptionsFor(string model) => model switch
    {
        "icmp-options" => PolicyOptions.Default with { AcceptIcmp = true, AcceptIcmpV6 = true },
        "custom-rules" => PolicyOptions.Default with { CustomRules = CustomRulesParser.Parse(CustomRulesFile, "custom-rules.yaml").Rules! },
        _ => PolicyOptions.Default,
    };

    [PrivilegedFact]
    public async Task Rendered_tables_equal_what_the_real_save_tool_prints()
    {
        var compared = 0;
        foreach (var model in Models)
        {
            foreach (var (family, restore, save) in new[] { (IpFamily.V4, "iptables-legacy-restore", "iptables-legacy-save"), (IpFamily.V6, "ip6tables-legacy-restore", "ip6tables-legacy-save") })
            {
                foreach (var pod in Compile(model))
                {
                    var options = OptionsFor(model);
                    var text = IptablesSaveWriter.Write(TableRenderer.Render(pod, family, options));
                    await using var ns = await TestNetns.CreateAsync();
                    await Sh.RunAsync("ip", ["netns", "exec", ns.Name, restore], text);
                    var saved = await Sh.InNetnsAsync(ns.Name, save, "-t", "filter");
                    Assert.True(text == Normalize(saved), $"{model} {pod.Pod.Key} {family}:\n--- rendered\n{text}--- saved\n{Normalize(saved)}");
                    Assert.Contains("-j DROP", text, StringComparison.Ordinal);
                    Assert.DoesNotContain("0.0.0.0/0 ", text, StringComparison.Ordinal);
                    Assert.DoesNotContain(" ::/0 ", text, StringComparison.Ordinal);
                    compared++;
                }
            }
        }

        Assert.True(compared >= 2 * Models.Length, $"only {compared} tables compared");
    }

    private static string Normalize(string saved) =>
        Counters().Replace(string.Concat(saved.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l + "\n")), "[0:0]");

    [GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial Regex Counters();

    /// <summary>Also used by the nftables golden test, so both backends are checked on the same models.</summary>
    internal static ImmutableArray<PodRules> Compile(string model)
    {
        var cluster = Cluster(dualStack: true);
        switch (model)
        {
            case "ingress-pods-ports":
                cluster.Policy(Ingress("x", "allow-b", Sel.Labels(("pod", "a")), Network,
                    Rule([Pods(Sel.Labels(("pod", "b"))), PodsIn(Sel.NotIn("kubernetes.io/metadata.name", "x"), Sel.All)], [Tcp(80), Range(Protocol.Tcp, 8000, 8080), Sctp(81)]),
                    Rule(ports: [AllOf(Protocol.Udp)])));
                break;
            case "egress-except-named":
                cluster.Policy(Egress("x", "out", Sel.Labels(("pod", "a")), Network,
                    Rule([Block("10.0.0.0/16", "10.0.2.0/24", "10.0.3.0/25"), Block("fd00::/64", "fd00::2:0/112")], [Named("serve-81-udp", Protocol.Udp), Udp(53)]),
                    Rule([Block("192.0.2.1/32")])));
                break;
            case "icmp-options" or "custom-rules":
                cluster.Policy(Make("x", "both", Sel.All, Network, true, true, [Rule([Pods(Sel.All)])], []));
                break;
            case "many-ports-long-interface":
                cluster
                    .Pod("x", "long", [("pod", "long")], [(Network, "abcdefghijklmno", ["10.0.9.9", "fd00::9:9"])])
                    .Policy(Ingress("x", "wide \"quoted\"", Sel.Labels(("pod", "long")), Network,
                        Rule([Block("10.0.0.0/8", "10.1.0.0/16")], [.. Enumerable.Range(1, 40).Select(i => Tcp(i * 3)), Range(Protocol.Udp, 100, 200)])));
                break;
            case "egress-named-per-destination":
                // "web" is 8080/TCP on one destination and 9090/TCP on the other, which also serves "dns" 53/UDP:
                // each address goes with its own ports (nftables: one address . protocol . port set per family).
                cluster
                    .Pod("y", "w1", [("app", "web")], [(Network, "net1", ["10.0.7.1", "fd00::7:1"])], [new ContainerPort("web", 8080, Protocol.Tcp)])
                    .Pod("y", "w2", [("app", "web")], [(Network, "net1", ["10.0.7.2", "fd00::7:2"])],
                        [new ContainerPort("web", 9090, Protocol.Tcp), new ContainerPort("dns", 53, Protocol.Udp)])
                    .Policy(Egress("x", "to-web", Sel.Labels(("pod", "a")), Network,
                        Rule([PodsIn(Sel.All, Sel.Labels(("app", "web")))], [Named("web"), Named("dns", Protocol.Udp), Tcp(443)])));
                break;
            case "ingress-exact-tuples":
                // Two policies of one port each from single pods: one saddr . l4proto . dport lookup in nftables.
                cluster.Policy(Ingress("x", "from-b", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.All, Sel.Labels(("pod", "b")))], [Tcp(80)])))
                    .Policy(Ingress("x", "from-c", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.All, Sel.Labels(("pod", "c")))], [Udp(81)])));
                break;
            case "zero-blocks":
                // A 0/0 ipBlock is no address match in the kernel: save prints no -s 0.0.0.0/0 or -s ::/0 for it.
                cluster.Policy(Make("x", "everyone", Sel.Labels(("pod", "a")), Network, true, true,
                    [Rule([Block("0.0.0.0/0"), Block("::/0")], [Tcp(80)]), Rule([Block("0.0.0.0/0", "10.0.0.0/8"), Block("::/0", "fd00::/8")])],
                    [Rule([Block("0.0.0.0/0")]), Rule([Block("::/0")], [Udp(53)])]));
                break;
            default:
                cluster.Policy(Unparsable("x", "broken", Network));
                break;
        }

        return [.. PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, OptionsFor(model)).Where(p => p.Pod.Namespace == "x" && p.Interfaces.Any(i => i.IsGoverned)).Take(2)];
    }
}
