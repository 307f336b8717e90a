using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CliWrap;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Policy.Netfilter;

namespace Mnp.Bench;

/// <summary>
/// Steady-state commits of N rules (replacing N rules with N different ones, ~25 foreign rules kept) through our
/// libiptc writer vs <c>ip netns exec NS iptables-legacy-restore --noflush</c> of the same rules, in the same
/// namespace in the same run, plus a no-op sync (kernel already holds the desired rules). Needs root.
/// Run: <c>dotnet run -c Release --project bench/Mnp.Bench -- --filter '*XtablesCommit*'</c>.
/// </summary>
[Config(typeof(BenchConfig))]
public class XtablesCommitBenchmarks
{
    private readonly string _netns = $"mnpb-{Guid.NewGuid():N}"[..17];
    private NetnsExecutor _executor = null!;
    private IptablesBackend _backend = null!;
    private readonly XtablesWriter _writer4 = new(Ip4tcLibrary.Instance);
    private NetfilterTable[] _models = [];
    private string[] _restoreTexts = [];
    private NetfilterTable _empty6 = NetfilterTable.Empty(IpFamily.V6);
    private int _flip;

    [Params(50, 200, 1_000, 10_000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Run("ip", "netns", "add", _netns);
        var foreign = new StringBuilder("*filter\n:KUBE-FOREIGN - [0:0]\n-A INPUT -j KUBE-FOREIGN\n");
        for (var i = 0; i < 25; i++)
        {
            foreign.Append(CultureInfo.InvariantCulture, $"-A KUBE-FOREIGN -s 172.16.{i}.0/24 -p udp -m udp --dport {1000 + i} -j ACCEPT\n");
        }

        Run("ip", ["netns", "exec", _netns, "iptables-legacy-restore", "--noflush"], foreign.Append("COMMIT\n").ToString());
        _executor = new NetnsExecutor();
        _backend = new IptablesBackend(_executor);
        _models = [Model(Rules, "a"), Model(Rules, "b")];
        _restoreTexts = [RestoreText(Rules, "a"), RestoreText(Rules, "b")];
        _empty6 = NetfilterTable.Empty(IpFamily.V6);
        _backend.ApplyTablesAsync(Ref, _models[1], _empty6).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _executor.Dispose();
        Run("ip", "netns", "del", _netns);
    }

    private NetnsRef Ref => NetnsRef.Named(_netns);

    /// <summary>What the agent does per pod: both families (the IPv6 half is an empty table, a no-op read).</summary>
    [Benchmark(Description = "libiptc commit")]
    public ApplyResult Libiptc()
    {
        _flip ^= 1;
        return _backend.ApplyTablesAsync(Ref, _models[_flip], _empty6).GetAwaiter().GetResult();
    }

    /// <summary>The same commit without the IPv6 half: exactly the work the restore baseline does (one family).</summary>
    [Benchmark(Description = "libiptc commit, IPv4 only")]
    public FamilyApplyResult LibiptcV4Only()
    {
        _flip ^= 1;
        var model = _models[_flip];
        return _executor.RunAsync(Ref, () => _writer4.Apply(_netns, XtablesWriter.Prepare(model))).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "iptables-legacy-restore")]
    public void Restore()
    {
        _flip ^= 1;
        Run("ip", ["netns", "exec", _netns, "iptables-legacy-restore", "--noflush"], _restoreTexts[_flip]);
    }

    [Benchmark(Description = "no-op sync")]
    public ApplyResult NoOp() => _backend.ApplyTablesAsync(Ref, _models[_flip], _empty6).GetAwaiter().GetResult();

    private static NetfilterTable Model(int count, string variant) => new(IpFamily.V4, "filter",
    [
        new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-BENCH"))]),
        new NetfilterChain("MNP-BENCH", [.. Enumerable.Range(0, count).Select(i => new NetfilterRule(RuleTarget.Accept)
        {
            Source = new System.Net.IPNetwork(Address(i), 32),
            Protocol = NetfilterProtocol.Tcp,
            DestinationPorts = [(80, 80), (443, 443), (8000, 8080)],
            Comment = $"bench rule {i} {variant}",
        })]),
    ]);

    private static string RestoreText(int count, string variant)
    {
        // The INPUT jump is ours too: restore has to re-create it like the writer does (delete + insert first).
        var text = new StringBuilder("*filter\n:MNP-BENCH - [0:0]\n-D INPUT -j MNP-BENCH\n-I INPUT 1 -j MNP-BENCH\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"-A MNP-BENCH -s {Address(i)}/32 -p tcp -m multiport --dports 80,443,8000:8080 -m comment --comment \"bench rule {i} {variant}\" -j ACCEPT\n");
        }

        return text.Append("COMMIT\n").ToString();
    }

    private static System.Net.IPAddress Address(int i) => new([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);

    private static void Run(string exe, params string[] args) => Run(exe, args, null);

    /// <summary>Runs a tool to completion (the nftables benchmarks share it).</summary>
    internal static void Run(string exe, string[] args, string? stdin)
    {
        var command = Cli.Wrap(exe).WithArguments(args);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        }

        command.ExecuteAsync().GetAwaiter().GetResult();
    }
}
