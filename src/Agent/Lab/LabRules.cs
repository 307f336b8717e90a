using Mnp.Agent.Reconcile;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Native.Nftables;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Lab;

/// <summary>
/// Programs a built lab's rules: every lab pod reconciled once through the agent's <see cref="RuleReconciler"/>, with
/// the backend the lab recorded and the settings given or recorded, so the lab's rules are the agent's rules. Kept
/// apart from <see cref="LabController"/>, which decides what the lab holds; this type owns the backends, which must
/// live as long as the process.
/// </summary>
internal sealed class LabRules(NetnsExecutor executor, NamedNetns namespaces, LabStore store, PolicyOptions? options)
{
    private IptablesBackend? _iptables;
    private NftablesBackend? _nftables;

    /// <summary>
    /// Reconciles the rules of <paramref name="state"/>'s pods to <paramref name="snapshot"/> with the given settings,
    /// else those the lab recorded (or the defaults), and records them, so later operations keep them. A pod whose
    /// rules were not committed is an error.
    /// </summary>
    public async Task<ReconcileReport> ReconcileAsync(ClusterSnapshot snapshot, LabState state, CancellationToken cancellationToken)
    {
        var resolved = options ?? store.LoadPolicySettings(state.Name)?.ToOptions() ?? PolicyOptions.Default;
        store.SavePolicySettings(state.Name, LabPolicySettings.From(resolved));
        var reconciler = new RuleReconciler(BackendFor(state.Backend), new LabNetnsResolver(namespaces, state), resolved);
        var report = await reconciler.ReconcileAsync(LabCluster.Materialize(snapshot, state), LabCluster.NodeName(state.Name), cancellationToken).ConfigureAwait(false);
        var failures = report.Failures.ToList();
        if (failures.Count > 0)
        {
            throw new LabException($"lab {state.Name}: rules not committed in {failures.Count} pod(s): {failures[0].Error}");
        }

        return report;
    }

    /// <summary>One instance per backend and process: the nftables writer remembers its commits (the no-op check).</summary>
    private IFirewallBackend BackendFor(FirewallBackendKind kind) => kind == FirewallBackendKind.Nftables
        ? _nftables ??= new NftablesBackend(executor)
        : _iptables ??= new IptablesBackend(executor);
}
