using System.Collections.Immutable;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Sync;

/// <summary>
/// Makes the pods the cache keeps small, since every pod of the cluster is kept: strings that repeat across pods
/// (namespace, node, phase, label keys and values, network and interface names, port names) are one instance each,
/// label sets that are equal (pods of one ReplicaSet) are one dictionary, and what the engine never reads (the
/// requested networks, MAC addresses) is dropped. A pod's compiled rules do not depend on anything dropped. Not thread-safe.
/// </summary>
public sealed class PodCompactor
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<ImmutableDictionary<string, string>, ImmutableDictionary<string, string>> _labelSets = new(LabelSetComparer.Instance);

    /// <summary>Distinct label sets held; each set is released only by <see cref="Trim"/>.</summary>
    public int LabelSets => _labelSets.Count;

    public PodInfo Compact(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod with
        {
            Namespace = Intern(pod.Namespace),
            Labels = Labels(pod.Labels),
            Phase = Intern(pod.Phase),
            NodeName = pod.NodeName is null ? null : Intern(pod.NodeName),
            Ports = pod.Ports.IsDefaultOrEmpty ? [] : [.. pod.Ports.Select(p => p with { Name = p.Name is null ? null : Intern(p.Name) })],
            Interfaces = pod.Interfaces.IsDefaultOrEmpty ? [] : [.. pod.Interfaces.Select(Interface)],
            RequestedNetworks = [],
        };
    }

    /// <summary>Forgets every pooled value that none of <paramref name="pods"/> uses (the pool would otherwise only grow).</summary>
    public void Trim(IEnumerable<PodInfo> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var used = new HashSet<ImmutableDictionary<string, string>>(ReferenceEqualityComparer.Instance);
        var strings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            used.Add(pod.Labels);
            strings.Add(pod.Namespace);
            strings.Add(pod.Phase);
            strings.UnionWith(pod.Labels.Keys);
            strings.UnionWith(pod.Labels.Values);
            foreach (var iface in pod.Interfaces)
            {
                strings.Add(iface.Interface);
                strings.Add(iface.Network.Namespace);
                strings.Add(iface.Network.Name);
            }

            foreach (var port in pod.Ports)
            {
                if (port.Name is not null)
                {
                    strings.Add(port.Name);
                }
            }

            if (pod.NodeName is not null)
            {
                strings.Add(pod.NodeName);
            }
        }

        foreach (var set in _labelSets.Keys.Where(s => !used.Contains(s)).ToList())
        {
            _labelSets.Remove(set);
        }

        _strings.IntersectWith(strings);
    }

    private PodInterface Interface(PodInterface iface) =>
        new(new NetworkRef(Intern(iface.Network.Namespace), Intern(iface.Network.Name)), Intern(iface.Interface), iface.Addresses, null);

    private ImmutableDictionary<string, string> Labels(ImmutableDictionary<string, string> labels)
    {
        if (_labelSets.TryGetValue(labels, out var shared))
        {
            return shared;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            builder[Intern(key)] = Intern(value);
        }

        var compact = builder.ToImmutable();
        _labelSets[compact] = compact;
        return compact;
    }

    private string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        _strings.Add(value);
        return value;
    }

    /// <summary>Label sets by content (ordinal keys and values).</summary>
    private sealed class LabelSetComparer : IEqualityComparer<ImmutableDictionary<string, string>>
    {
        public static LabelSetComparer Instance { get; } = new();

        public bool Equals(ImmutableDictionary<string, string>? x, ImmutableDictionary<string, string>? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null || x.Count != y.Count)
            {
                return false;
            }

            foreach (var (key, value) in x)
            {
                if (!y.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(ImmutableDictionary<string, string> obj)
        {
            var hash = 0;
            foreach (var (key, value) in obj)
            {
                hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), StringComparer.Ordinal.GetHashCode(value));
            }

            return HashCode.Combine(hash, obj.Count);
        }
    }
}
