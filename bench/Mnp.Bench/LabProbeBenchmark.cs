using System.Collections.Immutable;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Probe;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;

namespace Mnp.Bench;

/// <summary>
/// The lab's speed targets (root only): probing the e2e model (9 pods, ports 80 and 81, TCP and UDP, IPv4: 288
/// probes, all connected) should take well under a second; building and removing a 9-pod lab a fraction of one.
/// </summary>
public class LabProbeBenchmark
{
    private const string Config = """{"type":"macvlan","ipam":{"type":"host-local","ranges":[[{"subnet":"10.88.0.0/24"}],[{"subnet":"fd88::/64"}]]}}""";

    private NetnsExecutor _executor = null!;
    private LabBuilder _builder = null!;
    private LabState _state = null!;
    private List<ProbeRequest> _probes = null!;
    private string _lab = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("LabProbeBenchmark needs root (network namespaces)");
        }

        _executor = new NetnsExecutor();
        _builder = new LabBuilder(_executor, new NamedNetns(), new LabStore());
        _lab = "bench" + Guid.NewGuid().ToString("N")[..6];
        _state = _builder.UpAsync(_lab, NineWay()).GetAwaiter().GetResult();
        var filter = new ProbeFilter([], [], [80, 81], [Protocol.Tcp, Protocol.Udp]);
        _probes = [.. ProbePlanner.Plan(_state, new Dictionary<string, ImmutableArray<ContainerPort>>(), filter)
            .Where(p => p.Address.AddressFamily == AddressFamily.InterNetwork)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _builder.DownAsync(_lab).GetAwaiter().GetResult();
        _executor.Dispose();
    }

    [Benchmark]
    public async Task<int> Probe288()
    {
        var results = await new ProbeRunner(_executor).RunAsync(_probes, key => NetnsRef.Named(_state.FindPod(key)!.Netns), ProbeRunner.DefaultTimeout);
        return results.Count(r => r.Connected);
    }

    [Benchmark]
    public async Task<int> UpAndDownNinePods()
    {
        var lab = _lab + "u";
        var state = await _builder.UpAsync(lab, NineWay());
        await _builder.DownAsync(lab);
        return state.Pods.Length;
    }

    private static ClusterSnapshot NineWay()
    {
        var names = new[] { "x", "y", "z" };
        var pods = names.SelectMany(ns => new[] { "a", "b", "c" }.Select(p => new PodInfo(
            ns, p, $"{ns}-{p}", ImmutableDictionary<string, string>.Empty, "Running", false, "lab", [], [],
            [new NetworkRequest(new NetworkRef("x", "net1"), null, [])])));
        return new ClusterSnapshot(
            [.. names.Select(n => new NamespaceInfo(n, ImmutableDictionary<string, string>.Empty))],
            [.. pods],
            [new NetworkAttachmentInfo("x", "net1", "macvlan", Config)],
            [],
            []);
    }
}
