using Mnp.Policy.Compiler;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using Mnp.Tests.Unit.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>Which pods, interfaces and peers the compiler considers: networks, node, phase, plugin types.</summary>
public sealed class PolicyCompilerScopeTests
{
    private static TestCluster TwoNetworks() => new TestCluster()
        .Namespace("x")
        .Network("x", "blue")
        .Network("x", "red")
        .Pod("x", "a", [("pod", "a")], [("x/blue", "net1", ["10.1.0.1"]), ("x/red", "net2", ["10.2.0.1"])])
        .Pod("x", "b", [("pod", "b")], [("x/blue", "net1", ["10.1.0.2"]), ("x/red", "net2", ["10.2.0.2"])]);

    [Fact]
    public void Policy_for_one_network_leaves_the_other_interface_untouched_and_uses_peer_addresses_on_that_network()
    {
        var cluster = TwoNetworks().Policy(Ingress("x", "blue-only", Sel.Labels(("pod", "a")), "blue", Rule([Pods(Sel.Labels(("pod", "b")))])));
        var pod = Assert.Single(PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default), p => p.Pod.Name == "a");

        Assert.Equal(["net1", "net2"], pod.Interfaces.Select(i => i.Interface));
        Expect.Seq([Host("10.1.0.2")], Assert.Single(pod.Interfaces[0].Ingress.Allowances).Peers);
        Assert.False(pod.Interfaces[1].IsGoverned);
    }

    [Fact]
    public void Policy_without_policy_for_governs_nothing()
    {
        var cluster = TwoNetworks().Policy(Pol.Make("x", "nowhere", Sel.All, "", true, true, [], []));
        var all = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default);

        Assert.All(all.SelectMany(p => p.Interfaces), i => Assert.False(i.IsGoverned));
    }

    [Fact]
    public void Unmanaged_plugin_type_and_missing_nad_make_no_interface_rules()
    {
        var cluster = new TestCluster()
            .Namespace("x")
            .Network("x", "calico-like", "calico")
            .Pod("x", "a", [], [("x/calico-like", "net1", ["10.1.0.1"]), ("x/missing", "net2", ["10.2.0.1"])])
            .Policy(Ingress("x", "deny", Sel.All, "calico-like,missing"));

        Assert.Empty(PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default));

        var withCalico = PolicyOptions.Default with { ManagedPlugins = ["calico"] };
        var pod = Assert.Single(PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, withCalico));
        Assert.True(Assert.Single(pod.Interfaces).Ingress.Isolated);
    }

    [Fact]
    public void Only_local_running_non_host_network_pods_are_compiled_and_only_they_are_selector_peers()
    {
        var cluster = new TestCluster()
            .Namespace("x")
            .Network("x", "net")
            .Pod("x", "target", [("role", "t")], [("net", "net1", ["10.0.0.1"])])
            .Pod("x", "elsewhere", [("role", "t")], [("net", "net1", ["10.0.0.2"])], node: "node-2")
            .Pod("x", "pending", [("role", "peer")], [("net", "net1", ["10.0.0.3"])], phase: "Pending")
            .Pod("x", "host", [("role", "peer")], [("net", "net1", ["10.0.0.4"])], hostNetwork: true)
            .Pod("x", "remote-peer", [("role", "peer")], [("net", "net1", ["10.0.0.5"])], node: "node-2")
            .Policy(Ingress("x", "p", Sel.Labels(("role", "t")), "net", Rule([Pods(Sel.Labels(("role", "peer")))])));

        var local = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default);
        var everywhere = PolicyCompiler.Compile(cluster.Build(), null, PolicyOptions.Default);

        Assert.Equal(["x/target"], local.Select(p => p.Pod.Key));
        Assert.Equal(["x/elsewhere", "x/remote-peer", "x/target"], everywhere.Select(p => p.Pod.Key));
        Expect.Seq([Host("10.0.0.5")], Assert.Single(local[0].Interfaces[0].Ingress.Allowances).Peers);
    }

    [Fact]
    public void Bare_network_name_in_policy_for_means_the_policy_namespace()
    {
        var cluster = new TestCluster()
            .Namespace("x")
            .Network("x", "net")
            .Network("other", "net")
            .Pod("x", "a", [], [("x/net", "net1", ["10.0.0.1"]), ("other/net", "net2", ["10.9.0.1"])])
            .Policy(Ingress("x", "p", Sel.All, "net"));
        var pod = Assert.Single(PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default));

        Assert.True(pod.Interfaces[0].Ingress.Isolated);
        Assert.False(pod.Interfaces[1].Ingress.Isolated);
    }

    [Fact]
    public void CompilePod_matches_the_full_compilation_and_rejects_non_endpoints()
    {
        var snapshot = Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule([PodsIn(Sel.All, Sel.Labels(("pod", "c")))], [Tcp(80)]))).Build();
        var pod = snapshot.Pods.Single(p => p.Key == "x/b");

        var single = PolicyCompiler.CompilePod(snapshot, pod, PolicyOptions.Default);
        var full = PolicyCompiler.Compile(snapshot, TestCluster.Node, PolicyOptions.Default).Single(p => p.Pod.Key == "x/b");

        Assert.NotNull(single);
        Assert.Equal(Render(full), Render(single));
        Assert.Null(PolicyCompiler.CompilePod(snapshot, pod with { Phase = "Succeeded" }, PolicyOptions.Default));
    }

    private static string Render(PodRules rules) =>
        Policy.Rendering.IptablesSaveWriter.Write(Policy.Rendering.TableRenderer.Render(rules, Policy.Netfilter.IpFamily.V4, PolicyOptions.Default));
}
