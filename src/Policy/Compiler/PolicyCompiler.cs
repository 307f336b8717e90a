using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>
/// Turns a <see cref="ClusterSnapshot"/> into backend-neutral <see cref="PodRules"/> (docs/semantics.md).
/// Pure and deterministic: the result depends on the snapshot's content, never on its order.
/// </summary>
public static class PolicyCompiler
{
    /// <summary>
    /// Rules for every local policy-endpoint pod (on <paramref name="nodeName"/>; null = every node) with at
    /// least one managed interface, sorted by namespace then name.
    /// </summary>
    public static ImmutableArray<PodRules> Compile(ClusterSnapshot snapshot, string? nodeName, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var context = new CompilationContext(snapshot, options);
        var local = new List<PodInfo>();
        foreach (var pod in snapshot.Pods)
        {
            if (pod.IsPolicyEndpoint && (nodeName is null || pod.NodeName == nodeName))
            {
                local.Add(pod);
            }
        }

        local.Sort(PodOrder.Instance);
        var result = ImmutableArray.CreateBuilder<PodRules>(local.Count);
        foreach (var pod in local)
        {
            var rules = context.CompilePod(pod);
            if (rules is not null)
            {
                result.Add(rules);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Rules for each of <paramref name="pods"/> (null for a pod that is not a policy endpoint or has no managed
    /// interface), compiled over one shared context: what the agent's incremental sync uses for the few pods a change affects.
    /// </summary>
    public static Dictionary<string, PodRules?> CompilePods(ClusterSnapshot snapshot, IEnumerable<PodInfo> pods, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(options);
        var context = new CompilationContext(snapshot, options);
        var result = new Dictionary<string, PodRules?>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            result[pod.Key] = pod.IsPolicyEndpoint ? context.CompilePod(pod) : null;
        }

        return result;
    }

    /// <summary>Rules for one pod, or null when it is not a policy endpoint or has no managed interface.</summary>
    public static PodRules? CompilePod(ClusterSnapshot snapshot, PodInfo pod, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        return pod.IsPolicyEndpoint ? new CompilationContext(snapshot, options).CompilePod(pod) : null;
    }
}
