using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Support;

/// <summary>A small generated snapshot and some flows to probe in it (see <see cref="RandomClusters"/>).</summary>
public sealed record RandomCluster(ClusterSnapshot Snapshot, ImmutableArray<RandomFlow> Flows)
{
    public PodInfo Pod(string key) => Snapshot.Pods.First(p => p.Key == key);

    public static IPAddress AddressOf(PodInfo pod, NetworkRef network, IpFamily family) =>
        pod.Interfaces.Where(i => i.Network == network).SelectMany(i => i.Addresses)
            .First(a => a.AddressFamily == (family == IpFamily.V6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork));

    /// <summary>A readable dump for FsCheck's counterexample output.</summary>
    public override string ToString() =>
        string.Join(
            "\n",
            Snapshot.Pods.Select(p => $"pod {p.Key} {p.Phase} [{string.Join(",", p.Labels.Select(l => $"{l.Key}={l.Value}"))}] " +
                string.Join(" ", p.Interfaces.Select(i => $"{i.Network}={string.Join("|", i.Addresses)}")))
            .Concat(Snapshot.Namespaces.Select(n => $"ns {n.Name} [{string.Join(",", n.Labels.Select(l => $"{l.Key}={l.Value}"))}]"))
            .Concat(Snapshot.Networks.Select(n => $"nad {n.Ref} {n.PluginType}"))
            .Concat(Snapshot.Policies.Select(p => $"policy {p.Key} for [{string.Join(",", p.PolicyFor)}] {SpecText.Of(p.Spec)}"))
            .Concat(Flows.Select(f => $"flow {f}")));
}
