using Mnp.Agent.Lab;
using Mnp.Agent.Reconcile;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Host;

/// <summary>
/// <c>--lab NAME</c>: a pod's namespace is the lab's named namespace for it. The lab's state is read again whenever
/// its file changes, since <c>mnp lab apply</c> adds and removes pods while the agent runs.
/// </summary>
public sealed class LabAgentNetnsResolver(NamedNetns namespaces, LabStore store, string lab) : INetnsResolver
{
    private readonly Lock _gate = new();
    private (DateTime Written, LabNetnsResolver Resolver)? _current;

    public ValueTask<NetnsRef> ResolveAsync(PodInfo pod, CancellationToken cancellationToken) => Current().ResolveAsync(pod, cancellationToken);

    private LabNetnsResolver Current()
    {
        lock (_gate)
        {
            var written = File.GetLastWriteTimeUtc(store.StatePath(lab));
            if (_current is { } current && current.Written == written)
            {
                return current.Resolver;
            }

            LabState state;
            try
            {
                state = store.Load(lab) ?? throw new NetnsResolutionException($"lab {lab} is gone");
            }
            catch (LabException e)
            {
                throw new NetnsResolutionException(e.Message, e);
            }

            var resolver = new LabNetnsResolver(namespaces, state);
            _current = (written, resolver);
            return resolver;
        }
    }
}
