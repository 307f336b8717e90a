using System.Text.Json;
using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Probe;
using Mnp.Policy.Cluster;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

public sealed class LabOutputTests
{
    private const string DualStack = """{"type":"macvlan","ipam":{"type":"whereabouts","ipRanges":[{"range":"10.2.0.0/24"},{"range":"fd02::/64"}]}}""";

    private static LabState ThreePods() => LabPlanner.Plan("demo", Snapshot(
        [Nad(DualStack), Nad("""{"ipam":{"type":"host-local","subnet":"10.4.0.0/24"}}""", "x", "net2")],
        Pod("x/a", On("x/net1"), On("x/net2")),
        Pod("x/b", On("x/net1")),
        Pod("y/c", On("x/net2"))));

    [Fact]
    public void Network_status_is_the_multus_list_of_secondary_networks()
    {
        var pod = ThreePods().Pods[0];
        pod = pod with { Interfaces = [pod.Interfaces[0] with { Mac = "02:aa:bb:cc:dd:ee" }, pod.Interfaces[1]] };

        using var json = JsonDocument.Parse(NetworkStatus.ToJson(pod));
        var entries = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(
            """{"name":"x/net1","interface":"net1","ips":["10.2.0.1","fd02::1"],"mac":"02:aa:bb:cc:dd:ee","dns":{}}""",
            JsonSerializer.Serialize(entries[0]));
        Assert.Equal("""{"name":"x/net2","interface":"net2","ips":["10.4.0.2"],"dns":{}}""", JsonSerializer.Serialize(entries[1]));

        var interfaces = NetworkStatus.ToPodInterfaces(pod);
        Assert.Equal(new NetworkRef("x", "net1"), interfaces[0].Network);
        Assert.Equal([IPAddress.Parse("10.2.0.1"), IPAddress.Parse("fd02::1")], interfaces[0].Addresses.ToList());
        Assert.Equal("02:aa:bb:cc:dd:ee", interfaces[0].Mac);
    }

    [Fact]
    public void Probes_cover_every_ordered_pair_per_shared_network_address_and_default_port()
    {
        var state = ThreePods();
        var ports = new Dictionary<string, ImmutableArray<ContainerPort>>
        {
            ["x/b"] = [new ContainerPort("serve-81-udp", 81, Protocol.Udp), new ContainerPort("serve-82-sctp", 82, Protocol.Sctp)],
        };

        var probes = ProbePlanner.Plan(state, ports, ProbeFilter.All).Select(p => $"{p.From}>{p.To} {p.Network} {p.Source}->{p.Address}:{p.Port}/{p.Protocol}");

        Assert.Equal(
            [
                "x/a>x/b x/net1 10.2.0.1->10.2.0.2:81/Udp",
                "x/a>x/b x/net1 fd02::1->fd02::2:81/Udp",
                "x/a>y/c x/net2 10.4.0.2->10.4.0.3:80/Tcp",
                "x/b>x/a x/net1 10.2.0.2->10.2.0.1:80/Tcp",
                "x/b>x/a x/net1 fd02::2->fd02::1:80/Tcp",
                "y/c>x/a x/net2 10.4.0.3->10.4.0.2:80/Tcp",
            ],
            probes);
    }

    [Fact]
    public void Probe_filters_pick_pods_ports_and_protocols_and_refuse_unknown_pods_and_sctp()
    {
        var state = ThreePods();
        var filter = new ProbeFilter(["x/a"], ["y/c"], [80, 443], [Protocol.Tcp, Protocol.Udp]);
        var probes = ProbePlanner.Plan(state, new Dictionary<string, ImmutableArray<ContainerPort>>(), filter);
        Assert.Equal(["80/Tcp", "80/Udp", "443/Tcp", "443/Udp"], probes.Select(p => $"{p.Port}/{p.Protocol}"));

        var unknown = Assert.Throws<LabException>(() => ProbePlanner.Plan(state, new Dictionary<string, ImmutableArray<ContainerPort>>(), ProbeFilter.All with { From = ["x/zz"] }));
        Assert.Equal("--from x/zz: no such pod in lab demo", unknown.Message);
        Assert.Throws<LabException>(() => ProbePlanner.Plan(state, new Dictionary<string, ImmutableArray<ContainerPort>>(), ProbeFilter.All with { Protocols = [Protocol.Sctp] }));
    }

    [Fact]
    public void Probe_json_has_the_cli_shape()
    {
        var json = ProbeOutput.ToJson([new ProbeResult("x/a", "y/b", "x/net1", "10.9.0.5", 80, "TCP", false)]);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(
            """[{"from":"x/a","to":"y/b","network":"x/net1","address":"10.9.0.5","port":80,"protocol":"TCP","connected":false}]""",
            JsonSerializer.Serialize(document.RootElement.GetProperty("probes")));
    }

    [Fact]
    public void Probe_table_is_a_matrix_per_port_and_protocol()
    {
        var results = new[]
        {
            new ProbeResult("x/a", "x/b", "x/net1", "10.0.0.2", 80, "TCP", true),
            new ProbeResult("x/b", "x/a", "x/net1", "10.0.0.1", 80, "TCP", false),
            new ProbeResult("x/a", "x/b", "x/net1", "10.0.0.2", 81, "UDP", false),
        };

        Assert.Equal(
            "80/TCP\n" +
            "    x/a x/b\n" +
            "x/a -   .  \n" +
            "x/b X   -  \n" +
            "\n" +
            "81/UDP\n" +
            "    x/a x/b\n" +
            "x/a -   X  \n" +
            "x/b -   -  \n",
            ProbeOutput.ToTable(results));
    }

    [Fact]
    public void Lab_state_round_trips_through_the_store()
    {
        var root = Path.Combine(Path.GetTempPath(), "mnp-labstore-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new LabStore(root);
            var state = ThreePods();
            store.Save(state);

            Assert.True(Directory.Exists(store.ManifestsDirectory("demo")));
            Assert.Equal(state, store.Load("demo"));
            Assert.Contains("\"10.2.0.1/24\"", File.ReadAllText(store.StatePath("demo")), StringComparison.Ordinal);
            Assert.True(store.Delete("demo"));
            Assert.Null(store.Load("demo"));
            Assert.False(store.Delete("demo"));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
