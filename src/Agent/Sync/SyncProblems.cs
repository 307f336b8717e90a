using System.Collections.Immutable;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Agent.Sync;

/// <summary>
/// What the engine has to report, kept apart from the cache it reports on: each object's problems as its source read
/// them, each local pod's rule problems from its last compile, and the policies without a usable policy-for. The
/// Events reporter and the policy gauges read these after a pass; nothing here changes what is enforced.
/// </summary>
internal sealed class SyncProblems
{
    private readonly Dictionary<ObjectKey, ImmutableArray<Problem>> _objects = [];
    private readonly Dictionary<string, ImmutableArray<Problem>> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<(string Namespace, string Name)> _withoutNetworks = [];

    /// <summary>The objects' problems (what a snapshot of the cache carries).</summary>
    public IEnumerable<Problem> Objects => _objects.Values.SelectMany(p => p);

    /// <summary>The objects' problems and the local pods' rule problems.</summary>
    public IEnumerable<Problem> All => Objects.Concat(_rules.Values.SelectMany(p => p));

    /// <summary>Replaces the object's problems (none: forgets them); true when a policy's validity may have changed.</summary>
    public bool SetObject(ObjectKey key, ImmutableArray<Problem> problems)
    {
        if (problems.IsDefaultOrEmpty)
        {
            return _objects.Remove(key) && key.Kind == ManifestKinds.MultiNetworkPolicy;
        }

        _objects[key] = problems;
        return key.Kind == ManifestKinds.MultiNetworkPolicy;
    }

    /// <summary>Keeps the rule problems of the pod's last compile (none or no rules: forgets them).</summary>
    public void SetRules(string pod, PodRules? rules)
    {
        if (rules is null || rules.Problems.IsDefaultOrEmpty)
        {
            _rules.Remove(pod);
        }
        else
        {
            _rules[pod] = rules.Problems;
        }
    }

    /// <summary>The rule problems of pods that are no longer local endpoints go with them.</summary>
    public void ForgetRules(IReadOnlyDictionary<string, PodInfo> local)
    {
        foreach (var key in _rules.Keys)
        {
            if (!local.ContainsKey(key))
            {
                _rules.Remove(key);
            }
        }
    }

    /// <summary>Notes whether the stored policy names networks (a policy without them is reported as MissingPolicyFor).</summary>
    public void Track(PolicyInfo policy)
    {
        if (policy.PolicyFor.IsDefaultOrEmpty)
        {
            _withoutNetworks.Add((policy.Namespace, policy.Name));
        }
        else
        {
            _withoutNetworks.Remove((policy.Namespace, policy.Name));
        }
    }

    public void ForgetPolicy(string ns, string name) => _withoutNetworks.Remove((ns, name));

    /// <summary>After manifest files were loaded whole: their problems and policies replace what was held.</summary>
    public void Reload(IEnumerable<Problem> problems, IEnumerable<PolicyInfo> policies)
    {
        _withoutNetworks.Clear();
        foreach (var policy in policies)
        {
            Track(policy);
        }

        _objects.Clear();
        foreach (var problem in problems)
        {
            var key = new ObjectKey(problem.Kind, problem.Namespace, problem.Name);
            _objects[key] = _objects.TryGetValue(key, out var held) ? held.Add(problem) : [problem];
        }
    }

    /// <summary>The keys (<c>namespace/name</c>) of policies that are invalid: with problems, or without a spec.</summary>
    public HashSet<string> InvalidPolicies(IEnumerable<PolicyInfo> policies) =>
        _objects.Keys.Where(k => k.Kind == ManifestKinds.MultiNetworkPolicy).Select(k => $"{k.Namespace}/{k.Name}")
            .Concat(policies.Where(p => p.Spec is null).Select(p => p.Key))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Policies with something to report: problems of their own or in a pod's rules, or no usable policy-for.</summary>
    public IEnumerable<(string Namespace, string Name)> PoliciesToReport() =>
        _objects.Keys.Where(k => k.Kind == ManifestKinds.MultiNetworkPolicy).Select(k => (k.Namespace, k.Name))
            .Concat(_rules.Values.SelectMany(p => p).Select(p => (p.Namespace, p.Name)))
            .Concat(_withoutNetworks)
            .Distinct();
}
