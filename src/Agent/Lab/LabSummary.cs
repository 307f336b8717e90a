using System.Collections.Immutable;
using Mnp.Agent.Reconcile;

namespace Mnp.Agent.Lab;

/// <summary>What an <c>up</c>, <c>apply</c> or <c>delete</c> left: the lab, the rule reconcile it ended with, and warnings about the input.</summary>
public sealed record LabSummary(LabState State, ReconcileReport Rules, ImmutableArray<string> Warnings)
{
    /// <summary>One line: pods, networks, and how many pods had rules committed by which backend (and how many rules they hold).</summary>
    public override string ToString()
    {
        if (State.NoRules)
        {
            return $"lab {State.Name}: {State.Pods.Length} pods, {State.Networks.Length} networks; rules left to an agent (--no-rules)";
        }

        var committed = Rules.Pods.Count(p => p.Outcome == PodSyncOutcome.Committed);
        var rules = Rules.Pods.Sum(p => p.Rules);
        return $"lab {State.Name}: {State.Pods.Length} pods, {State.Networks.Length} networks; {BackendName(State.Backend)} rules committed in {committed} of {Rules.Pods.Length} pods ({rules} rules held)";
    }

    private static string BackendName(Mnp.Native.Backends.FirewallBackendKind kind) => kind == Mnp.Native.Backends.FirewallBackendKind.Nftables ? "nftables" : "iptables";
}
