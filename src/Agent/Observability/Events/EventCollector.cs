using System.Security.Cryptography;
using System.Text;
using Mnp.Agent.Reconcile;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Spec;

namespace Mnp.Agent.Observability.Events;

/// <summary>
/// Decides which Events to post after a sync pass, each once: a problem is reported only by nodes where it matters
/// (a policy's problems where it selects a local pod, a pod's malformed network-status and failed applies by the
/// pod's own node), and the event name hashes object, reason, message and node, so a repeat is the same event
/// (its count goes up) and two nodes never fight over one. Not thread-safe: called by the sync loop.
/// </summary>
public sealed class EventCollector(string node)
{
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>Over a whole snapshot (the CLI's view, and tests).</summary>
    public IReadOnlyList<AgentEvent> Collect(ClusterSnapshot snapshot, IEnumerable<PodSyncResult> failures)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var onNode = snapshot.Pods.Where(p => p.NodeName == node).ToDictionary(p => p.Key, StringComparer.Ordinal);
        return Collect(
            new EventInputs(snapshot.Problems, onNode.Values.Where(p => p.IsPolicyEndpoint).ToList(), key => onNode.GetValueOrDefault(key), snapshot.Policies),
            failures);
    }

    public IReadOnlyList<AgentEvent> Collect(EventInputs inputs, IEnumerable<PodSyncResult> failures)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(failures);
        var local = inputs.LocalPods.ToList();
        var problems = inputs.Problems.ToList();
        var events = new List<AgentEvent>();
        foreach (var policy in inputs.Policies.Where(p => local.Any(pod => Selects(p, pod))))
        {
            if (policy.PolicyFor.IsDefaultOrEmpty)
            {
                Add(events, ManifestKinds.MultiNetworkPolicy, "k8s.cni.cncf.io/v1beta1", policy.Namespace, policy.Name, null, EventReasons.MissingPolicyFor,
                    $"no usable {Annotations.PolicyFor} annotation: the policy applies to no network");
            }

            // The policy's own problems and the rules refused on local pods (PodRules.Problems, e.g. the expansion limit).
            foreach (var problem in problems.Where(p => p.Kind == ManifestKinds.MultiNetworkPolicy && p.Namespace == policy.Namespace && p.Name == policy.Name))
            {
                Add(events, ManifestKinds.MultiNetworkPolicy, "k8s.cni.cncf.io/v1beta1", policy.Namespace, policy.Name, null, EventReasons.InvalidPolicy, Text(problem));
            }
        }

        var statusField = Annotations.Field(Annotations.NetworkStatus);
        foreach (var problem in problems.Where(p => p.Kind == ManifestKinds.Pod && p.Field.StartsWith(statusField, StringComparison.Ordinal)))
        {
            if (inputs.PodOnNode($"{problem.Namespace}/{problem.Name}") is { } pod)
            {
                Add(events, ManifestKinds.Pod, "v1", pod.Namespace, pod.Name, pod.Uid, EventReasons.InvalidNetworkStatus, Text(problem));
            }
        }

        foreach (var failure in failures)
        {
            if (inputs.PodOnNode(failure.Pod) is { } pod)
            {
                Add(events, ManifestKinds.Pod, "v1", pod.Namespace, pod.Name, pod.Uid, EventReasons.PolicyApplyFailed, failure.Error ?? "rules not committed");
            }
        }

        return events;
    }

    /// <summary>The event name: the object's name and a hash of what the event says, within the 253 characters a name may have.</summary>
    public static string EventName(string kind, string ns, string name, string reason, string message, string node)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{ns}\n{name}\n{reason}\n{message}\n{node}")))[..16];
        var prefix = name.Length > 200 ? name[..200] : name;
        return $"{prefix}.mnp.{hash}";
    }

    private static bool Selects(PolicyInfo policy, PodInfo pod) =>
        pod.Namespace == policy.Namespace && (policy.Spec is null || policy.Spec.PodSelector.Matches(pod.Labels));

    private static string Text(Problem problem) => problem.Field.Length == 0 ? problem.Message : $"{problem.Field}: {problem.Message}";

    private void Add(List<AgentEvent> events, string kind, string apiVersion, string ns, string name, string? uid, string reason, string message)
    {
        var eventName = EventName(kind, ns, name, reason, message, node);
        if (_reported.Add(eventName))
        {
            events.Add(new AgentEvent(kind, apiVersion, ns, name, uid, reason, message, eventName));
        }
    }
}
