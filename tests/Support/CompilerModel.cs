using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Support;

/// <summary>
/// The compiler and renderer tests' compact cluster on one secondary network: namespaces x, y, z; pods a, b, c in
/// each (label pod=name), all attached to NAD <c>mnp/net1</c> as interface <c>net1</c>. Pod x/a gets 10.0.1.1 (and
/// fd00::1:1 when dual stack), y/b 10.0.2.2 and so on. Every pod serves 80 and 81 on TCP and UDP with the suite's
/// port names. The e2e cases' own model, notation and addresses are <see cref="E2e.E2eModel"/>; this one keeps the
/// addresses the rendered-text expectations are written in.
/// </summary>
public static class CompilerModel
{
    public const string Network = "mnp/net1";

    public static readonly string[] Namespaces = ["x", "y", "z"];
    public static readonly string[] PodNames = ["a", "b", "c"];

    public static TestCluster Cluster(bool dualStack = false)
    {
        var cluster = new TestCluster().Namespace("mnp").Network("mnp", "net1");
        for (var n = 0; n < Namespaces.Length; n++)
        {
            cluster.Namespace(Namespaces[n]);
            for (var p = 0; p < PodNames.Length; p++)
            {
                string[] addresses = dualStack ? [V4(n, p), V6(n, p)] : [V4(n, p)];
                cluster.Pod(
                    Namespaces[n],
                    PodNames[p],
                    [("pod", PodNames[p])],
                    [(Network, "net1", addresses)],
                    [Pol.Serve(80), Pol.Serve(81), Pol.Serve(80, Protocol.Udp), Pol.Serve(81, Protocol.Udp)]);
            }
        }

        return cluster;
    }

    /// <summary>The IPv4 address of a model pod, e.g. <c>Ip("y/b")</c> = 10.0.2.2.</summary>
    public static string Ip(string pod) => V4(Array.IndexOf(Namespaces, pod[..1]), Array.IndexOf(PodNames, pod[2..]));

    public static string Ip6(string pod) => V6(Array.IndexOf(Namespaces, pod[..1]), Array.IndexOf(PodNames, pod[2..]));

    public static PeerMatch Host(string address)
    {
        var ip = IPAddress.Parse(address);
        return new PeerMatch(new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128), []);
    }

    public static InterfaceRules Compile(TestCluster cluster, string pod, string iface = "net1", PolicyOptions? options = null)
    {
        var all = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, options ?? PolicyOptions.Default);
        return all.Single(r => r.Pod.Key == pod).Interfaces.Single(i => i.Interface == iface);
    }

    private static string V4(int ns, int pod) => $"10.0.{ns + 1}.{pod + 1}";

    private static string V6(int ns, int pod) => $"fd00::{ns + 1}:{pod + 1}";
}
