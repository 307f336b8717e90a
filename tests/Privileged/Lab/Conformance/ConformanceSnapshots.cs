using Mnp.Policy.Cluster;
using Mnp.Tests.Support;
using E2e = Mnp.Tests.Support.E2e.E2eModel;

namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>
/// The lab holds the 9 pods of the e2e model (x, y, z × a, b, c, dual stack on x/net1) for every case: a step's
/// cluster is the case's namespaces, NADs and policies, the case's pods (labels, ports) and the other model pods as
/// they are. A case pod that asks for the model's networks keeps the model's interfaces (so the lab keeps it as it is).
/// </summary>
internal static class ConformanceSnapshots
{
    public static ImmutableArray<string> AllPods { get; } = [.. new[] { "x", "y", "z" }.SelectMany(ns => new[] { "a", "b", "c" }.Select(p => $"{ns}/{p}"))];

    public static ClusterSnapshot Base { get; } = BuildBase();

    public static ClusterSnapshot ForStep(ClusterSnapshot step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var pods = Base.Pods.Select(model => step.Pods.FirstOrDefault(p => p.Key == model.Key) is { } pod
            ? SameAttachments(pod, model) ? pod with { Interfaces = model.Interfaces } : pod
            : model);
        var namespaces = step.Namespaces.Concat(Base.Namespaces.Where(n => step.Namespaces.All(s => s.Name != n.Name)))
            .OrderBy(n => n.Name, StringComparer.Ordinal);
        return new ClusterSnapshot([.. namespaces], [.. pods], step.Networks, step.Policies, step.Problems);
    }

    private static ClusterSnapshot BuildBase()
    {
        var cluster = new TestCluster();
        E2e.Standard(AllPods)(cluster);
        return cluster.Build();
    }

    private static bool SameAttachments(PodInfo pod, PodInfo model) =>
        pod.Interfaces.Select(i => (i.Network, i.Interface)).SequenceEqual(model.Interfaces.Select(i => (i.Network, i.Interface)));
}
