using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// The compiler's index kept up to date one object at a time, for the agent: a Pod, Namespace, NAD or policy change
/// updates the index in place and drops only the cached resolutions it can change (for a pod, those of the rules whose
/// verdict on it flips over the networks it is a peer on; all of them for a namespace, policy or NAD), so compiling the few pods a change affects
/// costs what those pods need, never a rebuild of the cluster. <see cref="CompilePod"/> gives exactly what
/// <see cref="PolicyCompiler.CompilePod"/> gives over a snapshot of the same objects. Not thread-safe.
/// </summary>
public sealed class IncrementalCompiler
{
    private readonly CompilerIndex _index;
    private readonly CompilationContext _context;

    public IncrementalCompiler(PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = new CompilerIndex(options);
        _context = new CompilationContext(_index);
    }

    /// <summary>Every pod, by <c>namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, PodInfo> Pods => _index.Pods;

    public IEnumerable<NamespaceInfo> Namespaces => _index.Namespaces;

    public IEnumerable<NetworkAttachmentInfo> Networks => _index.Networks;

    /// <summary>Every policy, by name within each namespace.</summary>
    public IEnumerable<PolicyInfo> Policies => _index.Policies;

    /// <summary>Replaces everything with a snapshot's objects.</summary>
    public static IncrementalCompiler From(ClusterSnapshot snapshot, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var compiler = new IncrementalCompiler(options);
        compiler._index.Load(snapshot);
        return compiler;
    }

    public bool TryGetPod(string key, out PodInfo? pod) => _index.Pods.TryGetValue(key, out pod);

    public bool TryGetNamespace(string name, out NamespaceInfo? ns) => _index.TryGetNamespace(name, out ns);

    public bool TryGetNetwork(NetworkRef network, out NetworkAttachmentInfo? info) => _index.TryGetNetwork(network, out info);

    public bool TryGetPolicy(string ns, string name, out PolicyInfo? policy)
    {
        foreach (var candidate in _index.PoliciesIn(ns))
        {
            if (candidate.Name == name)
            {
                policy = candidate;
                return true;
            }
        }

        policy = null;
        return false;
    }

    public void SetPod(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        Change(pod.Key, pod);
    }

    public void RemovePod(string ns, string name) => Change($"{ns}/{name}", null);

    public void SetNamespace(NamespaceInfo ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        _index.SetNamespace(ns);
        ForgetAll();
    }

    public void RemoveNamespace(string name)
    {
        _index.RemoveNamespace(name);
        ForgetAll();
    }

    public void SetPolicy(PolicyInfo policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _index.SetPolicy(policy);
        ForgetAll();
    }

    public void RemovePolicy(string ns, string name)
    {
        _index.RemovePolicy(ns, name);
        ForgetAll();
    }

    public void SetNetwork(NetworkAttachmentInfo network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _index.SetNetwork(network);
        ForgetAll();
    }

    public void RemoveNetwork(NetworkRef network)
    {
        _index.RemoveNetwork(network);
        ForgetAll();
    }

    /// <summary>The pod's rules, or null when it is not a policy endpoint or has no managed interface.</summary>
    public PodRules? CompilePod(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.IsPolicyEndpoint ? _context.CompilePod(pod) : null;
    }

    /// <summary>Updates the index, then drops the cached resolutions, on each network the pod is or was a peer on, that the change can alter.</summary>
    private void Change(string key, PodInfo? now)
    {
        var old = _index.Pods.TryGetValue(key, out var held) ? held : null;
        if (old is not null)
        {
            _context.NamedPorts.Forget(old);
        }

        var before = old is null ? [] : _index.PeerAddresses(old);
        var after = now is null ? [] : _index.PeerAddresses(now);
        if (now is null)
        {
            _index.RemovePod(key);
        }
        else
        {
            _index.SetPod(now);
        }

        var labels = new Lazy<ChangedLabels>(() => new ChangedLabels(old!.Labels, now!.Labels), LazyThreadSafetyMode.None);
        foreach (var network in before.Keys.Union(after.Keys))
        {
            var change = new PodChange(_index, old, before.GetValueOrDefault(network), now, after.GetValueOrDefault(network), labels);
            _context.Peers.Forget(network, change);
            _context.NamedPorts.Forget(network, change);
        }
    }

    private void ForgetAll()
    {
        _context.Peers.ForgetAll();
        _context.NamedPorts.ForgetAll();
    }
}
