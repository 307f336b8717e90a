using System.Collections.Immutable;
using System.Net;
using BenchmarkDotNet.Attributes;
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
/// plus a no-op sync, in one namespace per shape. Shapes: N allowances (each one peer pod and ports 80, 443,
/// 8000-8080 over TCP, every rule different between the two rulesets), one allowance whose peers are 5,000 pods (no
/// two adjacent, so 5,000 set ranges; all of them different between the two), and the same with one peer different.
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
    private int _flip;

    [Params("50 allowances", "200 allowances", "1000 allowances", "5000 peers", "5000 peers, 1 changes")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        Run("ip", ["netns", "add", _netns], null);
        _executor = new NetnsExecutor();
        _backend = new NftablesBackend(_executor);
        _tables = [Table(Shape, "a"), Table(Shape, "b")];
        _texts = [.. _tables.Select(t => $"table inet {NftTable.OwnedName}\ndelete table inet {NftTable.OwnedName}\n{NftText.Write(t)}")];
        _backend.ApplyTableAsync(Ref, _tables[1]).GetAwaiter().GetResult();
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

    /// <summary>The kernel already holds the table since our last commit: one GETGEN.</summary>
    [Benchmark(Description = "no-op sync")]
    public NftApplyResult NoOp() => _backend.ApplyTableAsync(Ref, _tables[_flip]).GetAwaiter().GetResult();

    private static NftTable Table(string shape, string variant)
    {
        var origin = new RuleOrigin(shape.EndsWith("changes", StringComparison.Ordinal) ? "bench/p" : $"bench/{variant}", Direction.Ingress, 0);
        ImmutableArray<Allowance> allowances;
        if (shape.StartsWith("5000 peers", StringComparison.Ordinal))
        {
            // Every other address, so that no two merge into one range.
            var peers = Enumerable.Range(0, 5000)
                .Select(i => shape.EndsWith("changes", StringComparison.Ordinal) && i > 0 ? Host(2 * i, "a") : Host(2 * i, variant)).ToImmutableArray();
            allowances = [new Allowance(origin, false, peers, false, [new PortRange(Protocol.Tcp, 80, 80)])];
        }
        else
        {
            var count = int.Parse(shape.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            PortRange[] ports = [new(Protocol.Tcp, 80, 80), new(Protocol.Tcp, 443, 443), new(Protocol.Tcp, 8000, 8080)];
            allowances = [.. Enumerable.Range(0, count).Select(i => new Allowance(origin with { Rule = i }, false, [Host(i, variant)], false, [.. ports]))];
        }

        var ingress = new DirectionRules(true, ["bench/p"], allowances);
        var rules = new InterfaceRules("net1", new NetworkRef("bench", "net"), [], ingress, DirectionRules.Open);
        return NftRenderer.Render(new PodRules(null!, [rules]), PolicyOptions.Default)!;
    }

    private static PeerMatch Host(int i, string variant) =>
        new(new IPNetwork(new IPAddress([10, variant == "a" ? (byte)1 : (byte)2, (byte)(i >> 8), (byte)i]), 32), []);

    private static void Run(string exe, string[] args, string? stdin) => XtablesCommitBenchmarks.Run(exe, args, stdin);
}
