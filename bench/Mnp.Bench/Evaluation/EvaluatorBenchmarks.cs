using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Bench.Evaluation;

/// <summary>
/// The evaluator on a synthetic cluster: 10 namespaces x 20 pods on one macvlan network, 5 policies per namespace
/// (pod selector, namespace selector, ipBlock with except, ports). Matrix = 200 x 199 cells on TCP/80.
/// </summary>
[MemoryDiagnoser]
public class EvaluatorBenchmarks
{
    private const string NameLabel = "kubernetes.io/metadata.name";
    private static readonly NetworkRef Net = new("ns0", "net1");

    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private PolicyEvaluator? _evaluator;
    private ConnectionQuery? _query;

    [GlobalSetup]
    public void Setup()
    {
        var namespaces = Enumerable.Range(0, 10)
            .Select(n => new NamespaceInfo($"ns{n}", ImmutableDictionary<string, string>.Empty.Add(NameLabel, $"ns{n}").Add("tier", n % 2 == 0 ? "front" : "back")))
            .ToImmutableArray();
        var pods = Enumerable.Range(0, 200).Select(i => new PodInfo(
            $"ns{i / 20}",
            $"pod{i}",
            $"uid{i}",
            ImmutableDictionary<string, string>.Empty.Add("app", $"app{i % 5}"),
            "Running",
            false,
            "node",
            [new ContainerPort("http", 80, Protocol.Tcp)],
            [new PodInterface(Net, "net1", [IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.20.{i / 250}.{(i % 250) + 1}"))], null)],
            [])).ToImmutableArray();
        var policies = namespaces.SelectMany(ns => Enumerable.Range(0, 5).Select(p => Policy(ns.Name, p))).ToImmutableArray();
        _snapshot = new ClusterSnapshot(namespaces, pods, [new NetworkAttachmentInfo("ns0", "net1", "macvlan", null)], policies, []);
        _evaluator = new PolicyEvaluator(_snapshot, PolicyOptions.Default);
        _query = new ConnectionQuery(EndpointRef.Parse("ns3/pod61"), EndpointRef.Parse("ns7/pod141"), "http");
    }

    [Benchmark]
    public PolicyEvaluator BuildEvaluator() => new(_snapshot, PolicyOptions.Default);

    [Benchmark]
    public TraceResult TraceOne() => _evaluator!.Trace(_query!);

    [Benchmark]
    public int FullMatrix() => _evaluator!.Reachability(ReachabilityRequest.Default with { Ports = [80] }).Length;

    private static PolicyInfo Policy(string ns, int index)
    {
        var app = new LabelSelector([new LabelRequirement("app", SelectorOperator.In, [$"app{index}"])]);
        var front = new LabelSelector([new LabelRequirement("tier", SelectorOperator.In, ["front"])]);
        var ingress = ImmutableArray.Create(
            new PolicyRule(0, false, [new PodPeer(null, app), new PodPeer(front, LabelSelector.Everything)], false, [new PortSpec(Protocol.Tcp, 80, null, null)]),
            new PolicyRule(1, false, [new IpBlockPeer(IPNetwork.Parse("10.20.0.0/16"), [IPNetwork.Parse("10.20.0.0/28")])], false, [new PortSpec(Protocol.Tcp, null, null, "http")]));
        return new PolicyInfo(ns, $"p{index}", [Net], new PolicySpec(app, true, index % 2 == 0, ingress, [ingress[0] with { Index = 0 }]));
    }
}
