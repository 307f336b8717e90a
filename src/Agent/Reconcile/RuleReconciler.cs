using System.Collections.Immutable;
using System.Diagnostics;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Reconcile;

/// <summary>
/// Snapshot in, rules committed: compiles the snapshot for a node and, for every local pod that is a policy
/// endpoint, resolves its namespace and makes our rules there equal to the rendered tables. A pod with no
/// governed interface gets empty tables, which removes whatever we had programmed there. hostNetwork pods
/// are never touched (their namespace is the host's). One pod failing never stops the others. Shared by the
/// lab (named namespaces) and the agent (CRI).
/// </summary>
public sealed class RuleReconciler(IFirewallBackend backend, INetnsResolver resolver, PolicyOptions options)
{
    public async Task<ReconcileReport> ReconcileAsync(ClusterSnapshot snapshot, string? node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var compiled = PolicyCompiler.Compile(snapshot, node, options).ToDictionary(p => p.Pod.Key, StringComparer.Ordinal);
        var results = ImmutableArray.CreateBuilder<PodSyncResult>();
        foreach (var pod in snapshot.Pods.Where(p => p.IsPolicyEndpoint && (node is null || p.NodeName == node)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            compiled.TryGetValue(pod.Key, out var rules);
            results.Add(await SyncPodAsync(pod, rules, cancellationToken).ConfigureAwait(false));
        }

        return new ReconcileReport(results.ToImmutable());
    }

    /// <summary>One pod: makes our rules in its namespace equal to <paramref name="rules"/> (null: none of ours). The agent's per-pod entry point.</summary>
    public async Task<PodSyncResult> SyncPodAsync(PodInfo pod, PodRules? rules, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var v4 = rules is null ? NetfilterTable.Empty(IpFamily.V4) : TableRenderer.Render(rules, IpFamily.V4, options);
        var v6 = rules is null ? NetfilterTable.Empty(IpFamily.V6) : TableRenderer.Render(rules, IpFamily.V6, options);
        var ruleCount = v4.Chains.Sum(c => c.Rules.Length) + v6.Chains.Sum(c => c.Rules.Length);
        try
        {
            var netns = await resolver.ResolveAsync(pod, cancellationToken).ConfigureAwait(false);
            var applied = await backend.ApplyAsync(netns, v4, v6).ConfigureAwait(false);
            var outcome = applied.Changed ? PodSyncOutcome.Committed : PodSyncOutcome.Unchanged;
            return new PodSyncResult(pod.Key, outcome, ruleCount, clock.Elapsed, null);
        }
        catch (Exception e) when (e is NetnsResolutionException or NetnsException or XtablesException or RuleValidationException)
        {
            return new PodSyncResult(pod.Key, PodSyncOutcome.Failed, ruleCount, clock.Elapsed, $"pod {pod.Key}: {e.Message}");
        }
    }
}
