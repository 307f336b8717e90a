using System.Collections.Immutable;
using System.Diagnostics;
using Mnp.Native;
using Mnp.Native.Backends;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Reconcile;

/// <summary>
/// Snapshot in, rules committed: compiles the snapshot for a node and, for every local pod that is a policy
/// endpoint, resolves its namespace and hands its backend-neutral <see cref="PodRules"/> to the backend. A pod
/// with no governed interface gets none, which removes whatever we had programmed there. hostNetwork pods are
/// never touched (their namespace is the host's). One pod failing never stops the others, and a failing pod is
/// never left more open than before: a backend's commit is atomic (the old rules stay); when the model itself
/// is refused, or the pod held nothing of ours yet, it gets a deny-all on its governed interfaces instead
/// (<see cref="FailClosedOutcome"/>). Shared by the lab (named namespaces) and the agent (CRI).
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
        NetnsRef netns;
        try
        {
            netns = await resolver.ResolveAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        catch (NetnsResolutionException e)
        {
            return Failed(pod, 0, clock, new PodSyncFailure(PodSyncFailureReason.NamespaceNotFound, pod.Key, e.Message, FailClosedOutcome.KeptPrevious));
        }

        try
        {
            var applied = await backend.ApplyAsync(netns, rules, options, cancellationToken).ConfigureAwait(false);
            var outcome = applied.Changed ? PodSyncOutcome.Committed : PodSyncOutcome.Unchanged;
            return new PodSyncResult(pod.Key, outcome, applied.Rules, clock.Elapsed, null) { Transactions = applied.Transactions };
        }
        catch (MnpException e)
        {
            var reason = Classify(e);
            var (failClosed, rulesNow) = await FailClosedAsync(netns, rules, reason, cancellationToken).ConfigureAwait(false);
            var subject = e.Subject.Length > 0 ? e.Subject : netns.Path;
            return Failed(pod, rulesNow, clock, new PodSyncFailure(reason, subject, e.Message, failClosed) { Scope = e.TransactionScope });
        }
    }

    /// <summary>
    /// After a failed apply: a refused model fails closed at once (retrying cannot help, and the old rules were
    /// made for other policies); a failed commit keeps the old rules unless there were none of ours, in which
    /// case the pod would be wide open, so it fails closed too. Nothing can be written into a namespace that
    /// cannot be entered, and a pod with nothing governed has nothing to deny.
    /// </summary>
    private async Task<(FailClosedOutcome Outcome, int Rules)> FailClosedAsync(NetnsRef netns, PodRules? rules, PodSyncFailureReason reason, CancellationToken cancellationToken)
    {
        var denyAll = DenyAll(rules);
        if (denyAll is null || reason is PodSyncFailureReason.NamespaceUnavailable or PodSyncFailureReason.LibraryMissing)
        {
            return (FailClosedOutcome.KeptPrevious, 0);
        }

        try
        {
            if (reason != PodSyncFailureReason.ModelRefused && !await HoldsNothingOfOursAsync(netns, cancellationToken).ConfigureAwait(false))
            {
                return (FailClosedOutcome.KeptPrevious, 0);
            }

            var applied = await backend.ApplyAsync(netns, denyAll, options, cancellationToken).ConfigureAwait(false);
            return (FailClosedOutcome.DeniedAll, applied.Rules);
        }
        catch (MnpException)
        {
            return (FailClosedOutcome.DenyAllFailed, 0);
        }
    }

    private async Task<bool> HoldsNothingOfOursAsync(NetnsRef netns, CancellationToken cancellationToken)
    {
        try
        {
            return (await backend.ReadAsync(netns, cancellationToken).ConfigureAwait(false)).HoldsNothingOfOurs;
        }
        catch (MnpException)
        {
            // Unreadable: assume the worst (nothing of ours); a deny-all is never more open than anything.
            return true;
        }
    }

    /// <summary>Both directions isolated with no allowance on every governed interface; null when nothing is governed.</summary>
    internal static PodRules? DenyAll(PodRules? rules)
    {
        if (rules is null || !rules.Interfaces.Any(i => i.IsGoverned))
        {
            return null;
        }

        return rules with
        {
            Interfaces = [.. rules.Interfaces.Where(i => i.IsGoverned).Select(i => i with
            {
                Ingress = new DirectionRules(true, i.Ingress.SelectingPolicies, []),
                Egress = new DirectionRules(true, i.Egress.SelectingPolicies, []),
            })],
        };
    }

    private static PodSyncFailureReason Classify(MnpException e) => e switch
    {
        FirewallModelException => PodSyncFailureReason.ModelRefused,
        NetnsException => PodSyncFailureReason.NamespaceUnavailable,
        NativeLibraryException => PodSyncFailureReason.LibraryMissing,
        _ => PodSyncFailureReason.CommitFailed,
    };

    private static PodSyncResult Failed(PodInfo pod, int rules, Stopwatch clock, PodSyncFailure failure) =>
        new(pod.Key, PodSyncOutcome.Failed, rules, clock.Elapsed, failure);
}
