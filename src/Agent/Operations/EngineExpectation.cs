using Mnp.Native.Backends;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Operations;

/// <summary>
/// What the engine computes for the inspected pods, from one snapshot compiled over one shared context (as the
/// agent's sync does). A pod the snapshot does not know, or that is not a policy endpoint, should hold nothing of ours.
/// </summary>
public static class EngineExpectation
{
    public static IReadOnlyDictionary<string, ExpectedRules> For(ClusterSnapshot snapshot, IEnumerable<string> pods, PolicyOptions options, FirewallBackendKind? backend)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(pods);
        var byKey = snapshot.Pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var keys = pods.ToList();
        var known = keys.Where(byKey.ContainsKey).Select(k => byKey[k]);
        var compiled = PolicyCompiler.CompilePods(snapshot, known, options);
        return keys.Distinct(StringComparer.Ordinal).ToDictionary(
            k => k,
            k => new ExpectedRules(compiled.GetValueOrDefault(k), options, backend),
            StringComparer.Ordinal);
    }
}
