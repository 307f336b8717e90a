using Mnp.Native.Netns;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Reconcile;

/// <summary>Finds a local pod's network namespace: through CRI in the agent, by name in the lab.</summary>
public interface INetnsResolver
{
    /// <summary>The namespace file of <paramref name="pod"/>; throws <see cref="NetnsResolutionException"/> when it cannot be found.</summary>
    ValueTask<NetnsRef> ResolveAsync(PodInfo pod, CancellationToken cancellationToken);
}
