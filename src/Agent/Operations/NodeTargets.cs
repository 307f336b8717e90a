using Mnp.Agent.Cri;
using Mnp.Agent.Reconcile;
using Mnp.Native.Netns;

namespace Mnp.Agent.Operations;

/// <summary>
/// A real node's pods for inspect and cleanup: every pod with a ready sandbox in CRI, except those whose network
/// namespace is the host's (hostNetwork pods: their namespace is never ours to read or clean).
/// </summary>
public static class NodeTargets
{
    public static async Task<(IReadOnlyList<InspectTarget> Targets, IReadOnlyList<string> Problems)> ListAsync(
        CriNetnsResolver cri, string hostPrefix, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cri);
        ArgumentNullException.ThrowIfNull(keys);
        var (pods, problems) = await cri.ListReadyPodsAsync(cancellationToken).ConfigureAwait(false);
        var host = HostNamespaces(hostPrefix);
        var local = pods.Where(p => !host.Contains(IdentityOrDefault(p.Netns.Path))).ToDictionary(p => p.Key, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return ([.. local.Values.Select(p => new InspectTarget(p.Key, p.Netns))], problems);
        }

        var targets = new List<InspectTarget>();
        foreach (var key in keys)
        {
            if (!local.TryGetValue(key, out var pod))
            {
                throw new NetnsResolutionException(pods.Any(p => p.Key == key)
                    ? $"pod {key}: uses the host's network namespace (hostNetwork): nothing of ours is there"
                    : $"pod {key}: no ready sandbox on this node in CRI{(problems.Count > 0 ? $" ({problems[0]})" : string.Empty)}");
            }

            targets.Add(new InspectTarget(pod.Key, pod.Netns));
        }

        return (targets, problems);
    }

    /// <summary>Our own namespace and the host's (pid 1 under the prefix); either may be unreadable.</summary>
    private static HashSet<NamespaceIdentity> HostNamespaces(string hostPrefix)
    {
        var identities = new HashSet<NamespaceIdentity>();
        foreach (var path in new[] { "/proc/self/ns/net", $"{hostPrefix}/proc/1/ns/net" })
        {
            if (IdentityOrDefault(path) is { Inode: not 0 } identity)
            {
                identities.Add(identity);
            }
        }

        return identities;
    }

    private static NamespaceIdentity IdentityOrDefault(string path)
    {
        try
        {
            return NetnsExecutor.IdentityOf(path);
        }
        catch (IOException)
        {
            return default;
        }
    }
}
