using System.Collections.Immutable;
using Mnp.Agent.Sources.Kubernetes;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Spec;

namespace Mnp.Agent.Operations;

/// <summary>
/// One consistent-enough read of the cluster for the verbs that compare with it or evaluate it (inspect --diff, the
/// kubectl plugin's render/trace/matrix): the same four lists the agent watches (Pods cluster-wide, Namespaces,
/// NetworkAttachmentDefinitions, MultiNetworkPolicies v1beta2 when served, else v1beta1), trimmed exactly as the
/// agent trims watch events, into a snapshot. Objects that do not parse are skipped with their problems.
/// </summary>
public static class ApiClusterReader
{
    public static async Task<ClusterSnapshot> ReadAsync(KubeApiClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var version = await api.IsServedAsync("k8s.cni.cncf.io/v1beta2", "multi-networkpolicies", cancellationToken).ConfigureAwait(false) ? "v1beta2" : "v1beta1";
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Cluster);
        var problems = ImmutableArray.CreateBuilder<Problem>();
        foreach (var resource in new[] { WatchedResource.Namespaces, WatchedResource.Networks, WatchedResource.Policies(version), WatchedResource.Pods })
        {
            var list = await api.ListAsync(resource.Path, cancellationToken).ConfigureAwait(false);
            foreach (var item in list.Items)
            {
                var (value, itemProblems) = resource.Trim(item);
                switch (value)
                {
                    case PodInfo pod:
                        builder.SetPod(pod, itemProblems);
                        break;
                    case NamespaceInfo ns:
                        builder.SetNamespace(ns);
                        break;
                    case NetworkAttachmentInfo network:
                        builder.SetNetwork(network, itemProblems);
                        break;
                    case PolicyInfo policy:
                        builder.SetPolicy(policy, itemProblems);
                        break;
                    default:
                        problems.AddRange(itemProblems);
                        break;
                }
            }
        }

        var snapshot = builder.Build();
        return problems.Count == 0 ? snapshot : snapshot with { Problems = snapshot.Problems.AddRange(problems) };
    }
}
