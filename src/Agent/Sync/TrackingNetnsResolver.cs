using System.Collections.Concurrent;
using Mnp.Agent.Reconcile;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Sync;

/// <summary>Wraps a resolver and remembers which pods' last lookup failed, so a failed sync can be classified and counted.</summary>
public sealed class TrackingNetnsResolver(INetnsResolver inner) : INetnsResolver
{
    private readonly ConcurrentDictionary<string, bool> _failed = new(StringComparer.Ordinal);

    public int Unresolved => _failed.Count;

    public async ValueTask<NetnsRef> ResolveAsync(PodInfo pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        try
        {
            var netns = await inner.ResolveAsync(pod, cancellationToken).ConfigureAwait(false);
            _failed.TryRemove(pod.Key, out _);
            return netns;
        }
        catch (NetnsResolutionException)
        {
            _failed[pod.Key] = true;
            throw;
        }
    }

    public bool LastFailed(PodInfo pod) => pod is not null && _failed.ContainsKey(pod.Key);

    /// <summary>Forgets a pod that is gone.</summary>
    public void Forget(string podKey) => _failed.TryRemove(podKey, out _);
}
