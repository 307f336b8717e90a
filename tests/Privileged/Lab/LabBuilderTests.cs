using System.Diagnostics;
using System.Text.Json;
using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Probe;
using Mnp.Native.Rtnetlink;
using Mnp.Policy.Cluster;
using Xunit.Abstractions;

namespace Mnp.Tests.Privileged.Lab;

public sealed class LabBuilderTests(ExecutorFixture fixture, ITestOutputHelper output) : IClassFixture<ExecutorFixture>
{
    /// <summary>Where every probe must connect, a generous per-attempt timeout: it costs nothing when they do, and
    /// keeps the test stable on a loaded machine (the CLI default is 500 ms).</summary>
    private static readonly TimeSpan AllConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly LabBuilder _builder = new(fixture.Executor, new NamedNetns(), new LabStore());

    [LabFact]
    public async Task Nine_pods_on_one_nad_all_connect_over_tcp_and_udp_v4_and_v6_without_rules()
    {
        var lab = LabModel.UniqueLabName();
        var snapshot = LabModel.NineWay();
        try
        {
            var state = await _builder.UpAsync(lab, snapshot);
            Assert.Equal(9, state.Pods.Length);
            var ports = snapshot.Pods.ToDictionary(p => p.Key, p => p.Ports);
            var probes = ProbePlanner.Plan(state, ports, ProbeFilter.All);
            Assert.Equal(72 * 2 * 2, probes.Count); // 72 ordered pairs x (80/TCP, 81/UDP) x (v4, v6)

            var watch = Stopwatch.StartNew();
            var results = await new ProbeRunner(fixture.Executor).RunAsync(probes, key => NetnsOf(state, key), AllConnectTimeout);
            output.WriteLine($"{results.Count} probes in {watch.ElapsedMilliseconds} ms");

            var blocked = results.Where(r => !r.Connected).Select(r => $"{r.From}->{r.To} {r.Address}:{r.Port}/{r.Protocol}").ToList();
            Assert.Empty(blocked);
            Assert.Equal(144, results.Count(r => r.Protocol == "TCP"));
            Assert.Equal(144, results.Count(r => r.Protocol == "UDP"));
            output.WriteLine(ProbeOutput.ToTable(results));

            // The 288-probe shape of the e2e model: 9 pods, ports 80 and 81, TCP and UDP, IPv4.
            var filter = new ProbeFilter([], [], [80, 81], [Protocol.Tcp, Protocol.Udp]);
            var v4 = ProbePlanner.Plan(state, ports, filter).Where(p => p.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToList();
            Assert.Equal(288, v4.Count);
            watch.Restart();
            var v4Results = await new ProbeRunner(fixture.Executor).RunAsync(v4, key => NetnsOf(state, key), AllConnectTimeout);
            output.WriteLine($"{v4Results.Count} IPv4 probes in {watch.ElapsedMilliseconds} ms");
            Assert.All(v4Results, r => Assert.True(r.Connected));
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task Dropped_traffic_shows_as_blocked_within_the_timeout()
    {
        var lab = LabModel.UniqueLabName();
        var snapshot = LabModel.NineWay(namespaces: 1, podsPerNamespace: 3);
        try
        {
            var state = await _builder.UpAsync(lab, snapshot);

            // x/b drops IPv4 80/TCP and 81/UDP arriving on net1 (the test's own namespace; IPv6 stays open).
            var xb = state.FindPod("x/b")!.Netns;
            await HostTools.IpAsync("netns", "exec", xb, "iptables-legacy", "-A", "INPUT", "-i", "net1", "-p", "tcp", "--dport", "80", "-j", "DROP");
            await HostTools.IpAsync("netns", "exec", xb, "iptables-legacy", "-A", "INPUT", "-i", "net1", "-p", "udp", "--dport", "81", "-j", "DROP");

            var probes = ProbePlanner.Plan(state, snapshot.Pods.ToDictionary(p => p.Key, p => p.Ports), ProbeFilter.All);
            var watch = Stopwatch.StartNew();
            var results = await new ProbeRunner(fixture.Executor).RunAsync(probes, key => NetnsOf(state, key), ProbeRunner.DefaultTimeout);
            output.WriteLine($"{results.Count} probes, 4 blocked, in {watch.ElapsedMilliseconds} ms");

            var blocked = results.Where(r => !r.Connected).Select(r => $"{r.From}->{r.To} {r.Address}:{r.Port}/{r.Protocol}").Order(StringComparer.Ordinal);
            Assert.Equal(
                [
                    "x/a->x/b 10.77.0.3:80/TCP",
                    "x/a->x/b 10.77.0.3:81/UDP",
                    "x/c->x/b 10.77.0.3:80/TCP",
                    "x/c->x/b 10.77.0.3:81/UDP",
                ],
                blocked);
            var v4Table = ProbeOutput.ToTable([.. results.Where(r => r.Address.Contains('.', StringComparison.Ordinal))]);
            Assert.Contains("80/TCP\n    x/a x/b x/c\nx/a -   X   .  \nx/b .   -   .  \nx/c .   X   -  \n", v4Table, StringComparison.Ordinal);
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task Up_gives_each_pod_a_named_namespace_with_its_addresses_and_network_status()
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            var state = await _builder.UpAsync(lab, LabModel.NineWay(namespaces: 2, podsPerNamespace: 2));
            var netns = await HostTools.NetnsNamesAsync();
            foreach (var pod in state.Pods)
            {
                Assert.Contains(pod.Netns, netns);
            }

            Assert.Contains($"mnplab-{lab}-node", netns);
            Assert.Contains($"mnplab-{lab}-y-b", netns);

            // host-local skips the gateway (.1 / ::1): x/a gets .2, then in pod order.
            Assert.Equal(["10.77.0.2/24", "fd77::2/64"], state.Pods[0].Interfaces[0].Addresses.Select(a => a.ToString()));
            Assert.Equal(["10.77.0.5/24", "fd77::5/64"], state.Pods[3].Interfaces[0].Addresses.Select(a => a.ToString()));

            var addresses = await HostTools.IpJsonAsync("-n", state.Pods[0].Netns, "addr", "show", "dev", "net1");
            var link = addresses[0];
            Assert.Equal(state.Pods[0].Interfaces[0].Mac, link.GetProperty("address").GetString());
            Assert.Equal(LabMacAddress.For(new NetworkRef("x", "net1"), "x/a", state.Pods[0].Interfaces[0]), state.Pods[0].Interfaces[0].Mac);
            Assert.Equal("UP", link.GetProperty("operstate").GetString());
            var locals = link.GetProperty("addr_info").EnumerateArray().Select(a => a.GetProperty("local").GetString()).ToList();
            Assert.Contains("10.77.0.2", locals);
            Assert.Contains("fd77::2", locals);

            using var status = JsonDocument.Parse(NetworkStatus.ToJson(state.Pods[0]));
            var entry = Assert.Single(status.RootElement.EnumerateArray().ToList());
            Assert.Equal("x/net1", entry.GetProperty("name").GetString());
            Assert.Equal("net1", entry.GetProperty("interface").GetString());
            Assert.Equal(["10.77.0.2", "fd77::2"], entry.GetProperty("ips").EnumerateArray().Select(i => i.GetString()));
            Assert.Equal(state.Pods[0].Interfaces[0].Mac, entry.GetProperty("mac").GetString());

            var saved = _builder.Store.Load(lab);
            Assert.NotNull(saved);
            Assert.Equal(state.Pods.Select(p => p.Interfaces[0].Mac), saved.Pods.Select(p => p.Interfaces[0].Mac));
            Assert.True(Directory.Exists(_builder.Store.ManifestsDirectory(lab)));
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task Two_nads_named_interfaces_and_explicit_ips_connect_only_where_networks_are_shared()
    {
        var lab = LabModel.UniqueLabName();
        const string V6Only = """{"type":"macvlan","ipam":{"type":"whereabouts","range":"fd78::/120","range_start":"fd78::10"}}""";
        const string Static = """{"type":"macvlan","ipam":{"type":"static","addresses":[{"address":"10.79.0.9/24"}]}}""";
        var snapshot = new ClusterSnapshot(
            [LabModel.Namespace("x"), LabModel.Namespace("y")],
            [
                LabModel.Pod("x", "a", [LabModel.On("x", "net1"), LabModel.On("y", "v6", "data")]),
                LabModel.Pod("x", "b", [LabModel.On("x", "net1", null, "10.77.0.50/24")]),
                LabModel.Pod("y", "c", [LabModel.On("y", "v6"), LabModel.On("y", "fixed")]),
            ],
            [
                new NetworkAttachmentInfo("x", "net1", "macvlan", LabModel.DualStackHostLocal),
                new NetworkAttachmentInfo("y", "v6", "macvlan", V6Only),
                new NetworkAttachmentInfo("y", "fixed", "macvlan", Static),
            ],
            [],
            []);
        try
        {
            var state = await _builder.UpAsync(lab, snapshot);
            Assert.Equal(
                [
                    "x/a net1 10.77.0.2/24,fd77::2/64",
                    "x/a data fd78::10/120",
                    "x/b net1 10.77.0.50/24",
                    "y/c net1 fd78::11/120",
                    "y/c net2 10.79.0.9/24",
                ],
                state.Pods.SelectMany(p => p.Interfaces.Select(i => $"{p.Key} {i.Interface} {string.Join(',', i.Addresses)}")));

            var links = (await HostTools.IpJsonAsync("-n", state.FindPod("x/a")!.Netns, "link")).EnumerateArray()
                .Select(l => l.GetProperty("ifname").GetString()).Order(StringComparer.Ordinal);
            Assert.Equal(["data", "lo", "net1"], links);

            var probes = ProbePlanner.Plan(state, new Dictionary<string, ImmutableArray<ContainerPort>>(), ProbeFilter.All);
            var results = await new ProbeRunner(fixture.Executor).RunAsync(state, _builder.Namespaces, probes, AllConnectTimeout);
            Assert.Equal(
                [
                    "x/a->x/b x/net1 10.77.0.50 True",
                    "x/a->y/c y/v6 fd78::11 True",
                    "x/b->x/a x/net1 10.77.0.2 True",
                    "y/c->x/a y/v6 fd78::10 True",
                ],
                results.Select(r => $"{r.From}->{r.To} {r.Network} {r.Address} {r.Connected}"));
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task Down_leaves_no_namespace_link_or_file_and_a_second_down_is_a_no_op()
    {
        var lab = LabModel.UniqueLabName();
        var state = await _builder.UpAsync(lab, LabModel.NineWay(namespaces: 2, podsPerNamespace: 2));
        var names = state.AllNetns.ToList();

        Assert.True(await _builder.DownAsync(lab));

        var netns = await HostTools.NetnsNamesAsync();
        Assert.DoesNotContain(netns, n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal));
        Assert.All(names, n => Assert.False(File.Exists(Path.Combine("/var/run/netns", n))));
        Assert.False(Directory.Exists(_builder.Store.DirectoryOf(lab)));
        var hostLinks = await HostTools.HostLinkNamesAsync();
        Assert.DoesNotContain(hostLinks, l => l.StartsWith("nad", StringComparison.Ordinal) || l == "mnp-new-link" || l.StartsWith("net", StringComparison.Ordinal));
        Assert.False(await _builder.DownAsync(lab));
    }

    [LabFact]
    public async Task Down_finds_the_lab_namespaces_by_name_when_the_state_is_unreadable()
    {
        var lab = LabModel.UniqueLabName();
        await _builder.UpAsync(lab, LabModel.NineWay(namespaces: 1, podsPerNamespace: 2));
        await File.WriteAllTextAsync(_builder.Store.StatePath(lab), "{ not json");

        Assert.True(await _builder.DownAsync(lab));

        Assert.DoesNotContain(await HostTools.NetnsNamesAsync(), n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal));
        Assert.False(Directory.Exists(_builder.Store.DirectoryOf(lab)));
    }

    [LabFact]
    public async Task Up_replaces_a_stale_lab_of_the_same_name()
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            await _builder.UpAsync(lab, LabModel.NineWay(namespaces: 2, podsPerNamespace: 2));
            var second = await _builder.UpAsync(lab, LabModel.NineWay(namespaces: 1, podsPerNamespace: 1));

            var netns = (await HostTools.NetnsNamesAsync()).Where(n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal([$"mnplab-{lab}-node", $"mnplab-{lab}-x-a"], netns);
            Assert.Single(second.Pods);
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task A_failed_up_leaves_nothing_behind()
    {
        var lab = LabModel.UniqueLabName();
        var snapshot = LabModel.NineWay(namespaces: 2, podsPerNamespace: 2);

        // A directory where the last pod's namespace file goes: the kernel-side create fails (EEXIST) after the others exist.
        var blocker = Path.Combine(NetnsRef.DefaultNamedRoot, $"mnplab-{lab}-y-b");
        Directory.CreateDirectory(blocker);
        try
        {
            var error = await Assert.ThrowsAsync<IOException>(() => _builder.UpAsync(lab, snapshot));
            Assert.Contains("EEXIST", error.Message, StringComparison.Ordinal);

            Assert.DoesNotContain(await HostTools.NetnsNamesAsync(), n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal) && n != Path.GetFileName(blocker));
            Assert.False(Directory.Exists(_builder.Store.DirectoryOf(lab)));
        }
        finally
        {
            Directory.Delete(blocker);
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task A_pod_asking_for_lo_is_refused_before_anything_is_created()
    {
        var lab = LabModel.UniqueLabName();
        var snapshot = LabModel.NineWay(namespaces: 2, podsPerNamespace: 2);
        var last = snapshot.Pods[^1];
        snapshot = snapshot with { Pods = snapshot.Pods.SetItem(snapshot.Pods.Length - 1, last with { RequestedNetworks = [LabModel.On("x", "net1", "lo")] }) };
        try
        {
            var error = await Assert.ThrowsAsync<LabException>(() => _builder.UpAsync(lab, snapshot));
            Assert.Contains("'lo' is reserved", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(await HostTools.NetnsNamesAsync(), n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal));
            Assert.False(Directory.Exists(_builder.Store.DirectoryOf(lab)));
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task Up_refuses_a_namespace_it_does_not_own_and_leaves_it_alone()
    {
        var lab = LabModel.UniqueLabName();
        var namespaces = new NamedNetns();
        var foreign = $"mnplab-{lab}-x-b";
        namespaces.Create(foreign);
        try
        {
            var error = await Assert.ThrowsAsync<LabException>(() => _builder.UpAsync(lab, LabModel.NineWay(namespaces: 1, podsPerNamespace: 2)));
            Assert.Contains(foreign, error.Message, StringComparison.Ordinal);
            Assert.True(namespaces.Exists(foreign));
            Assert.Equal([foreign], (await HostTools.NetnsNamesAsync()).Where(n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal)));
        }
        finally
        {
            namespaces.Delete(foreign);
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task Invalid_input_is_refused_before_anything_is_created()
    {
        var lab = LabModel.UniqueLabName();
        var unknownNad = LabModel.NineWay(namespaces: 1, podsPerNamespace: 1);
        unknownNad = unknownNad with { Pods = [unknownNad.Pods[0] with { RequestedNetworks = [LabModel.On("x", "nope")] }] };
        var badIpam = LabModel.NineWay("""{"type":"macvlan","ipam":{"type":"host-local","subnet":"10.0.0.0/33"}}""", 1, 1);

        var first = await Assert.ThrowsAsync<LabException>(() => _builder.UpAsync(lab, unknownNad));
        Assert.Equal("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0]: NetworkAttachmentDefinition x/nope not found", first.Message);
        var second = await Assert.ThrowsAsync<LabException>(() => _builder.UpAsync(lab, badIpam));
        Assert.Equal("NetworkAttachmentDefinition x/net1: spec.config.ipam.subnet: '10.0.0.0/33' is not a CIDR", second.Message);

        Assert.DoesNotContain(await HostTools.NetnsNamesAsync(), n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal));
        Assert.False(Directory.Exists(_builder.Store.DirectoryOf(lab)));
    }

    [LabFact]
    public async Task Deleting_a_pod_removes_its_namespace_and_reconcile_adds_a_new_one()
    {
        var lab = LabModel.UniqueLabName();
        var snapshot = LabModel.NineWay(namespaces: 1, podsPerNamespace: 2);
        try
        {
            await _builder.UpAsync(lab, snapshot);
            var afterDelete = await _builder.DeletePodAsync(lab, "x/b");
            Assert.Equal(["x/a"], afterDelete.Pods.Select(p => p.Key));
            Assert.DoesNotContain($"mnplab-{lab}-x-b", await HostTools.NetnsNamesAsync());

            var withC = snapshot with { Pods = [snapshot.Pods[0], LabModel.Pod("x", "c", [LabModel.On("x", "net1")])] };
            var reconciled = await _builder.ReconcileAsync(lab, withC);
            Assert.Equal(["x/a", "x/c"], reconciled.Pods.Select(p => p.Key));
            Assert.Equal(afterDelete.Pods[0], reconciled.Pods[0]);

            // x/c takes the lowest free addresses (x/b's), and reaches x/a.
            Assert.Equal(["10.77.0.3/24", "fd77::3/64"], reconciled.Pods[1].Interfaces[0].Addresses.Select(a => a.ToString()));
            var probes = ProbePlanner.Plan(reconciled, new Dictionary<string, ImmutableArray<ContainerPort>>(), ProbeFilter.All);
            var results = await new ProbeRunner(fixture.Executor).RunAsync(probes, key => NetnsOf(reconciled, key), AllConnectTimeout);
            Assert.Equal(4, results.Count);
            Assert.All(results, r => Assert.True(r.Connected));
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    [LabFact]
    public async Task Reconcile_rebuilds_a_pod_an_interrupted_reconcile_left_half_made()
    {
        var lab = LabModel.UniqueLabName();
        var snapshot = LabModel.NineWay(namespaces: 1, podsPerNamespace: 2);
        try
        {
            var state = await _builder.UpAsync(lab, snapshot);

            // As if a reconcile died after recording x/b and creating its namespace but before adding its interface.
            var xb = state.FindPod("x/b")!;
            using (var inPod = await RtnlSocket.OpenAsync(fixture.Executor, _builder.Namespaces.RefOf(xb.Netns)))
            {
                inPod.DeleteLink(inPod.GetLink("net1").Index, "net1");
            }

            _builder.Store.Save(state with { Pods = [state.Pods[0], xb with { Interfaces = [xb.Interfaces[0] with { Mac = null }] }] });

            var reconciled = await _builder.ReconcileAsync(lab, snapshot);

            Assert.Equal(state.Pods[0], reconciled.Pods[0]);
            Assert.NotNull(reconciled.Pods[1].Interfaces[0].Mac);
            var probes = ProbePlanner.Plan(reconciled, new Dictionary<string, ImmutableArray<ContainerPort>>(), ProbeFilter.All);
            var results = await new ProbeRunner(fixture.Executor).RunAsync(reconciled, _builder.Namespaces, probes, AllConnectTimeout);
            Assert.Equal(4, results.Count);
            Assert.All(results, r => Assert.True(r.Connected));
        }
        finally
        {
            await _builder.DownAsync(lab);
        }
    }

    private static NetnsRef NetnsOf(LabState state, string podKey) => NetnsRef.Named(state.FindPod(podKey)!.Netns);
}
