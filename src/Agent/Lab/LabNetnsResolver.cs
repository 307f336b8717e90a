using Mnp.Agent.Reconcile;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>A lab pod's network namespace is the named namespace <c>mnplab-LAB-NS-POD</c> its state records.</summary>
public sealed class LabNetnsResolver(NamedNetns namespaces, LabState state) : INetnsResolver
{
    public ValueTask<NetnsRef> ResolveAsync(PodInfo pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labPod = state.FindPod(pod.Key) ?? throw new NetnsResolutionException($"not a pod of lab {state.Name}");
        return namespaces.Exists(labPod.Netns)
            ? ValueTask.FromResult(namespaces.RefOf(labPod.Netns))
            : throw new NetnsResolutionException($"network namespace {labPod.Netns} is missing");
    }
}
