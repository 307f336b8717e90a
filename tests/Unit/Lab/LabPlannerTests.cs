using Mnp.Agent.Lab;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

public sealed class LabPlannerTests
{
    private const string HostLocal = """{"type":"macvlan","ipam":{"type":"host-local","subnet":"10.1.0.0/24"}}""";
    private const string DualStack = """{"type":"macvlan","ipam":{"type":"whereabouts","ipRanges":[{"range":"10.2.0.0/24"},{"range":"fd02::/64"}]}}""";

    [Fact]
    public void Pods_get_namespaces_interfaces_by_position_and_addresses_in_pod_order()
    {
        var state = LabPlanner.Plan("demo", Snapshot(
            [Nad(HostLocal), Nad(DualStack, "y", "dual")],
            Pod("y/b", On("x/net1")),
            Pod("x/a", On("x/net1"), On("y/dual", "data")),
            Pod("x/c", On("y/dual"), On("x/net1"))));

        Assert.Equal("mnplab-demo-node", state.NodeNetns);
        Assert.Equal(["mnplab-demo-y-b", "mnplab-demo-x-a", "mnplab-demo-x-c"], state.Pods.Select(p => p.Netns));
        Assert.Equal(
            [
                "y/b net1 x/net1 10.1.0.2/24",
                "x/a net1 x/net1 10.1.0.3/24",
                "x/a data y/dual 10.2.0.1/24,fd02::1/64",
                "x/c net1 y/dual 10.2.0.2/24,fd02::2/64",
                "x/c net2 x/net1 10.1.0.4/24",
            ],
            state.Pods.SelectMany(p => p.Interfaces.Select(i => $"{p.Key} {i.Interface} {i.Network} {string.Join(',', i.Addresses)}")));
        Assert.Equal(["x/net1 nad0 nad0p", "y/dual nad1 nad1p"], state.Networks.Select(n => $"{n.Network} {n.Parent} {n.Peer}"));
    }

    [Fact]
    public void Explicit_ips_win_and_are_never_allocated_to_another_pod()
    {
        var state = LabPlanner.Plan("demo", Snapshot(
            [Nad(HostLocal)],
            Pod("x/a", On("x/net1")),
            Pod("x/b", On("x/net1", null, "10.1.0.2"))));

        Assert.Equal("10.1.0.3/24", state.Pods[0].Interfaces[0].Addresses.Single().ToString());
        Assert.Equal("10.1.0.2/24", state.Pods[1].Interfaces[0].Addresses.Single().ToString());
    }

    [Fact]
    public void Existing_pods_keep_their_addresses_and_new_pods_take_the_lowest_free()
    {
        var first = LabPlanner.Plan("demo", Snapshot([Nad(HostLocal)], Pod("x/a", On("x/net1")), Pod("x/b", On("x/net1")), Pod("x/c", On("x/net1"))));
        var withMac = first with { Pods = [.. first.Pods.Select(p => p with { Interfaces = [.. p.Interfaces.Select(i => i with { Mac = "02:00:00:00:00:01" })] })] };

        var second = LabPlanner.Plan("demo", Snapshot([Nad(HostLocal)], Pod("x/c", On("x/net1")), Pod("x/d", On("x/net1"))), withMac);

        Assert.Equal(withMac.Pods[2], second.Pods[0]);
        Assert.Equal("10.1.0.2/24", second.Pods[1].Interfaces[0].Addresses.Single().ToString());
        Assert.Equal(withMac.Networks.ToList(), second.Networks.ToList());
    }

    [Theory]
    [InlineData("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0]: NetworkAttachmentDefinition x/other not found", "x/other", null, "")]
    [InlineData("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0].ips[0]: '10.1.0.300' is not an IP address", "x/net1", null, "10.1.0.300")]
    [InlineData("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0].interface: 'averyveryverylongname' is 21 bytes; an interface name has at most 15", "x/net1", "averyveryverylongname", "")]
    [InlineData("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0].interface: 'ññññññññ' is 16 bytes; an interface name has at most 15", "x/net1", "ññññññññ", "")]
    [InlineData("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0].interface: 'lo' is reserved: every pod namespace already has it (or the lab uses it)", "x/net1", "lo", "")]
    [InlineData("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0].interface: 'mnp-new-link' is reserved: every pod namespace already has it (or the lab uses it)", "x/net1", "mnp-new-link", "")]
    [InlineData("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][0].interface: 'a\\u000ab' is not a valid interface name (no '/', ':', spaces or control characters; not '.' or '..')", "x/net1", "a\nb", "")]
    public void Bad_requests_are_one_line_naming_the_pod_and_field(string expected, string network, string? iface, string ip)
    {
        var pod = Pod("x/a", ip.Length == 0 ? On(network, iface) : On(network, iface, ip));
        var error = Assert.Throws<LabException>(() => LabPlanner.Plan("demo", Snapshot([Nad(HostLocal)], pod)));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Duplicate_addresses_and_interfaces_are_refused()
    {
        var sameIp = Assert.Throws<LabException>(() => LabPlanner.Plan("demo", Snapshot(
            [Nad(HostLocal)], Pod("x/a", On("x/net1", null, "10.1.0.9/24")), Pod("x/b", On("x/net1", null, "10.1.0.9")))));
        Assert.Equal("Pod x/b: metadata.annotations[k8s.v1.cni.cncf.io/networks]: address 10.1.0.9 on network x/net1 is already used by pod x/a", sameIp.Message);

        var staticTwice = Assert.Throws<LabException>(() => LabPlanner.Plan("demo", Snapshot(
            [Nad("""{"ipam":{"type":"static","addresses":[{"address":"10.3.0.7/24"}]}}""")], Pod("x/a", On("x/net1")), Pod("x/b", On("x/net1")))));
        Assert.Contains("address 10.3.0.7 on network x/net1 is already used by pod x/a", staticTwice.Message, StringComparison.Ordinal);

        var sameInterface = Assert.Throws<LabException>(() => LabPlanner.Plan("demo", Snapshot(
            [Nad(HostLocal)], Pod("x/a", On("x/net1", "data"), On("x/net1", "data")))));
        Assert.Equal("Pod x/a: metadata.annotations[k8s.v1.cni.cncf.io/networks][1].interface: interface data is requested twice", sameInterface.Message);
    }

    [Fact]
    public void Pods_in_unknown_namespaces_and_bad_lab_names_are_refused()
    {
        var snapshot = Snapshot([Nad(HostLocal)], Pod("x/a"));
        var orphan = snapshot with { Namespaces = [] };
        Assert.Equal("Pod x/a: metadata.namespace: Namespace x is not in the lab", Assert.Throws<LabException>(() => LabPlanner.Plan("demo", orphan)).Message);
        Assert.Throws<LabException>(() => LabPlanner.Plan("Demo_1", snapshot));
        Assert.Throws<LabException>(() => LabPlanner.Plan("-x", snapshot));
    }

    [Fact]
    public void Host_network_pods_get_no_namespace()
    {
        var state = LabPlanner.Plan("demo", Snapshot([Nad(HostLocal)], Pod("x/a", On("x/net1")) with { HostNetwork = true }, Pod("x/b")));
        Assert.Equal(["x/b"], state.Pods.Select(p => p.Key));
        Assert.Empty(state.Pods[0].Interfaces);
    }
}
