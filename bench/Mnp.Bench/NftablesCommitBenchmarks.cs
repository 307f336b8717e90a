using System.Collections.Immutable;
using System.Net;
using BenchmarkDotNet.Attributes;
using Mnp.Bench.Reference;
using Mnp.Native.Nftables;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Bench;

/// <summary>
/// Per-pod commits of our <c>inet mnp</c> table over netlink (one batch, flipping between two different rulesets so
/// every op really commits; after the first commit each is the update that keeps the table and base chains), against
/// <c>ip netns exec NS nft -f -</c> of the same ruleset as text (a replace: table, delete table, then the table),
/// plus a no-op sync, in one namespace per shape. Shapes: N allowances (each one peer pod, no two adjacent, and ports
/// 80, 443, 8000-8080 over TCP; every peer different between the two rulesets: we hold them as one rule over a set of
/// N ranges, the reference as N rules), 200 allowances each with a port of its own (TCP 10000 + i: nothing to merge,
/// 200 rules for us too), one allowance whose peers are 5,000 pods (no two adjacent, so 5,000 set ranges; all of them
/// different between the two), and the same with one peer different.
/// Also against the reference (<see cref="ReferenceNftSequence"/>): the same rules as a policy of the same namespace,
/// applied to the same pod the way the OpenShift 4.22 nftables agent applies a policy to a pod, as its sequence of
/// nft processes (18 for this ingress-only policy: two probes, thirteen listings, three <c>nft -f</c> transactions, in the
/// pod's namespace, children of a thread inside it, as the reference's are), in a namespace of its own holding only
/// its table, steady state (the policy is already there and every op rewrites it with the other ruleset).
/// Needs root.
/// Run: <c>dotnet run -c Release --project bench/Mnp.Bench -- --filter '*NftablesCommit*'</c>.
/// </summary>
[Config(typeof(BenchConfig))]
public class NftablesCommitBenchmarks
{
    private readonly string _netns = $"mnpb-{Guid.NewGuid():N}"[..17];
    private NetnsExecutor _executor = null!;
    private NftablesBackend _backend = null!;
    private NftTable[] _tables = [];
    private string[] _texts = [];
    private ReferenceRule[][] _referenceRules = [];
    private readonly ReferenceNftSequence _reference = new("bench", "p", "10.0.0.1");
    private int _flip;

    [Params("50 allowances", "200 allowances", "1000 allowances", "200 allowances, own ports", "5000 peers", "5000 peers, 1 changes")]
    public string Shape { get; set; } = "";

    [GlobalSetup(Targets = [nameof(Netlink), nameof(NftProcess), nameof(NoOp)])]
    public void Setup()
    {
        Run("ip", ["netns", "add", _netns], null);
        _executor = new NetnsExecutor();
        try
        {
            _backend = new NftablesBackend(_executor);
            _tables = [Table(Allowances(Shape, "a")), Table(Allowances(Shape, "b"))];
            _texts = [.. _tables.Select(t => $"table inet {NftTable.OwnedName}\ndelete table inet {NftTable.OwnedName}\n{NftText.Write(t)}")];
            _backend.ApplyTableAsync(Ref, _tables[1]).GetAwaiter().GetResult();
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    /// <summary>The reference's namespace holds only its own table: first creation (every listing "not found"), then steady state.</summary>
    [GlobalSetup(Target = nameof(ReferenceSequence))]
    public void SetupReference()
    {
        Run("ip", ["netns", "add", _netns], null);
        _executor = new NetnsExecutor();
        try
        {
            _referenceRules = [ReferenceRules(Allowances(Shape, "a")), ReferenceRules(Allowances(Shape, "b"))];
            CheckChildrenAreBornInThePodNamespace();
            _executor.RunAsync(Ref, () => _reference.Apply(_referenceRules[1])).GetAwaiter().GetResult();
            var processes = _executor.RunAsync(Ref, () => _reference.Apply(_referenceRules[1])).GetAwaiter().GetResult();
            var listed = _executor.RunAsync(Ref, () => ChildInNetns.Check("nft", ["list", "table", "inet", ReferenceNftSequence.TableName])).GetAwaiter().GetResult();
            var portRules = listed.Split('\n').Count(l => l.Contains(" dport ", StringComparison.Ordinal));
            if (portRules != _referenceRules[1].Length)
            {
                throw new InvalidOperationException($"the reference sequence left {portRules} port rules, not {_referenceRules[1].Length}");
            }

            Console.WriteLine($"// reference sequence: {processes} nft processes per apply, {portRules} port rules");
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    /// <summary>Before the first write: a child of the executor thread must run in the pod's namespace, never the host's.</summary>
    private void CheckChildrenAreBornInThePodNamespace()
    {
        var childNetns = _executor.RunAsync(Ref, () => ChildInNetns.Check("readlink", ["/proc/self/ns/net"])).GetAwaiter().GetResult().Trim();
        var podNetns = NetnsExecutor.IdentityOf(Ref.Path).ToString();
        if (childNetns != podNetns)
        {
            throw new InvalidOperationException($"a child of the executor thread runs in {childNetns}, not the pod's {podNetns}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _executor.Dispose();
        Run("ip", ["netns", "del", _netns], null);
    }

    private NetnsRef Ref => NetnsRef.Named(_netns);

    [Benchmark(Description = "netlink batch commit")]
    public NftApplyResult Netlink()
    {
        _flip ^= 1;
        return _backend.ApplyTableAsync(Ref, _tables[_flip]).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "nft -f (process)")]
    public void NftProcess()
    {
        _flip ^= 1;
        Run("ip", ["netns", "exec", _netns, "nft", "-f", "-"], _texts[_flip]);
    }

    /// <summary>The reference rewriting the same pod's policy with the other ruleset: 18 nft processes, three transactions.</summary>
    [Benchmark(Description = "reference: nft process sequence")]
    public int ReferenceSequence()
    {
        _flip ^= 1;
        var rules = _referenceRules[_flip];
        return _executor.RunAsync(Ref, () => _reference.Apply(rules)).GetAwaiter().GetResult();
    }

    /// <summary>The kernel already holds the table since our last commit: one GETGEN.</summary>
    [Benchmark(Description = "no-op sync")]
    public NftApplyResult NoOp() => _backend.ApplyTableAsync(Ref, _tables[_flip]).GetAwaiter().GetResult();

    private static ImmutableArray<Allowance> Allowances(string shape, string variant)
    {
        var origin = new RuleOrigin(shape.EndsWith("changes", StringComparison.Ordinal) ? "bench/p" : $"bench/{variant}", Direction.Ingress, 0);
        if (shape.StartsWith("5000 peers", StringComparison.Ordinal))
        {
            // Every other address, so that no two merge into one range.
            var peers = Enumerable.Range(0, 5000)
                .Select(i => shape.EndsWith("changes", StringComparison.Ordinal) && i > 0 ? Host(2 * i, "a") : Host(2 * i, variant)).ToImmutableArray();
            return [new Allowance(origin, false, peers, false, [new PortRange(Protocol.Tcp, 80, 80)])];
        }

        var count = int.Parse(shape.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        PortRange[] ports = [new(Protocol.Tcp, 80, 80), new(Protocol.Tcp, 443, 443), new(Protocol.Tcp, 8000, 8080)];
        return shape.EndsWith("own ports", StringComparison.Ordinal)
            ? [.. Enumerable.Range(0, count).Select(i => new Allowance(origin with { Rule = i }, false, [Host(2 * i, variant)], false, [new PortRange(Protocol.Tcp, 10000 + i, 10000 + i)]))]
            : [.. Enumerable.Range(0, count).Select(i => new Allowance(origin with { Rule = i }, false, [Host(2 * i, variant)], false, [.. ports]))];
    }

    private static NftTable Table(ImmutableArray<Allowance> allowances)
    {
        var ingress = new DirectionRules(true, ["bench/p"], allowances);
        var rules = new InterfaceRules("net1", new NetworkRef("bench", "net"), [], ingress, DirectionRules.Open);
        return NftRenderer.Render(new PodRules(null!, [rules]), PolicyOptions.Default)!;
    }

    /// <summary>The same allowances as the reference's ingress rules: each one's peer pods and its TCP ports.</summary>
    private static ReferenceRule[] ReferenceRules(ImmutableArray<Allowance> allowances) =>
    [
        .. allowances.Select(a => new ReferenceRule(
            [.. a.Peers.Select(p => p.Cidr.BaseAddress)],
            string.Join(',', a.Ports.Select(p => p.From == p.To ? $"{p.From}" : $"{p.From}-{p.To}")))),
    ];

    private static PeerMatch Host(int i, string variant) =>
        new(new IPNetwork(new IPAddress([10, variant == "a" ? (byte)1 : (byte)2, (byte)(i >> 8), (byte)i]), 32), []);

    private static void Run(string exe, string[] args, string? stdin) => XtablesCommitBenchmarks.Run(exe, args, stdin);
}
