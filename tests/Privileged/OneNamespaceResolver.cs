using Mnp.Agent.Reconcile;
using Mnp.Policy.Cluster;

namespace Mnp.Tests.Privileged;

/// <summary>Resolves one pod to one test namespace; any other pod is not found.</summary>
internal sealed class OneNamespaceResolver(NetnsRef netns, string pod) : INetnsResolver
{
    public ValueTask<NetnsRef> ResolveAsync(PodInfo info, CancellationToken cancellationToken) =>
        info.Key == pod ? ValueTask.FromResult(netns) : throw new NetnsResolutionException($"{info.Key}: not in this test");
}
