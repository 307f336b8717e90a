using System.Collections.Immutable;
using Mnp.Agent.Lab.Probe;
using Mnp.Agent.Manifests;
using Mnp.Agent.Reconcile;
using Mnp.Native.Backends;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Lab;

/// <summary>
/// The lab verbs as operations: the current objects (the lab's <c>manifests/</c> folder) plus a change give the
/// desired cluster; it is validated before anything is touched, the plumbing is brought to it, the folder rewritten,
/// and every lab pod's rules reconciled once through the agent's <see cref="RuleReconciler"/>. Each operation
/// returns only when the rules are committed (a pod that could not be programmed is an error). One instance per
/// process; not thread-safe.
/// </summary>
public sealed class LabController
{
    private readonly NetnsExecutor _executor;
    private readonly LabBuilder _builder;
    private readonly LabRules _rules;

    /// <param name="executor">Enters the lab's namespaces.</param>
    /// <param name="options">The settings to compile with; null: those the lab recorded at <c>up</c> (or the defaults).
    /// Given settings are recorded, so later operations keep them.</param>
    /// <param name="store">Where lab state lives; null: the default lab root.</param>
    /// <param name="namespaces">Where named namespaces live; null: <c>/run/netns</c>.</param>
    public LabController(NetnsExecutor executor, PolicyOptions? options = null, LabStore? store = null, NamedNetns? namespaces = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _executor = executor;
        _builder = new LabBuilder(executor, namespaces ?? new NamedNetns(), store ?? new LabStore());
        _rules = new LabRules(executor, _builder.Namespaces, _builder.Store, options);
    }

    public LabStore Store => _builder.Store;

    public NamedNetns Namespaces => _builder.Namespaces;

    /// <summary>
    /// Creates (or re-creates) the lab from manifest objects of the four kinds. Everything is planned and checked
    /// before anything is made; whatever fails afterwards (a link, a refused commit, a missing library, a signal)
    /// removes the whole lab before the error is reported. <paramref name="noRules"/>: the rules are an agent's.
    /// <paramref name="backend"/> is recorded: later apply and delete program the rules with it too.
    /// </summary>
    public async Task<LabSummary> UpAsync(
        string lab, IReadOnlyList<ManifestObject> objects, bool noRules = false, FirewallBackendKind backend = FirewallBackendKind.Iptables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        LabPlanner.ValidateLabName(lab);
        var desired = Collect(objects);
        var (snapshot, warnings) = Validate(desired);
        return await UpAsync(lab, snapshot, state => LabManifests.Write(Store.ManifestsDirectory(lab), desired.ManifestObjects, state), noRules, backend, warnings, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The one way a lab is made, whatever described it: plan from the validated <paramref name="snapshot"/>, build,
    /// write the folder (<paramref name="writeManifests"/>), then neighbours and rules; any failure removes the lab.
    /// </summary>
    internal Task<LabSummary> UpAsync(
        string lab,
        ClusterSnapshot snapshot,
        Action<LabState> writeManifests,
        bool noRules,
        FirewallBackendKind backend,
        ImmutableArray<string> warnings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeManifests);
        var plan = LabPlanner.Plan(lab, snapshot) with { NoRules = noRules, Backend = backend };
        return BuildAsync(plan, async state =>
        {
            writeManifests(state);
            return await FinishAsync(snapshot, state, warnings, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Creates or replaces the given objects (by kind, namespace and name) in the lab's current objects.</summary>
    public Task<LabSummary> ApplyAsync(string lab, IReadOnlyList<ManifestObject> objects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var desired = Current(lab);
        foreach (var obj in objects)
        {
            desired.Apply(obj);
        }

        return CommitAsync(lab, desired, [], cancellationToken);
    }

    /// <summary>Removes the named objects; a Namespace takes every object in it. Objects the lab does not hold are warnings.</summary>
    public Task<LabSummary> DeleteAsync(string lab, IReadOnlyList<ManifestObject> objects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var desired = Current(lab);
        var warnings = ImmutableArray.CreateBuilder<string>();
        foreach (var obj in objects)
        {
            if (!desired.Remove(obj))
            {
                warnings.Add($"{obj}: not in lab {lab}, nothing to delete");
            }

            if (obj.Kind == ManifestKinds.Namespace)
            {
                foreach (var inside in desired.ManifestObjects.Where(o => o.Namespace == obj.Name).ToList())
                {
                    desired.Remove(inside);
                }
            }
        }

        return CommitAsync(lab, desired, warnings.ToImmutable(), cancellationToken);
    }

    /// <summary>The lab's state; throws when the lab is not up.</summary>
    public LabState Load(string lab)
    {
        LabPlanner.ValidateLabName(lab);
        return Store.Load(lab) ?? throw new LabException($"lab {lab} is not up (mnp lab up --lab {lab} -f ...)");
    }

    /// <summary>
    /// Plans the probes the filter asks for (ports default to the pods' declared ones, as the manifests give them) and
    /// runs them. Probes whose source lacks the permanent neighbour entry of its destination (a lab made before the
    /// lab set them, or an entry removed by hand) could fail for want of address resolution, not policy: they are
    /// reported to <paramref name="warn"/> in one line.
    /// </summary>
    public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(
        string lab, ProbeFilter filter, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? warn = null)
    {
        var state = Load(lab);
        var missing = state.AllNetns.Where(n => !Namespaces.Exists(n)).ToList();
        if (missing.Count > 0)
        {
            throw new LabException($"lab {lab}: network namespace {missing[0]} is missing ({missing.Count} in all); mnp lab apply --lab {lab} -f ... re-creates it, mnp lab down --lab {lab} removes the lab");
        }

        var declared = ReadManifests(lab).Build().Pods.ToDictionary(p => p.Key, p => p.Ports, StringComparer.Ordinal);
        var probes = ProbePlanner.Plan(state, declared, filter);
        if (warn is not null)
        {
            await Native(lab, () => WarnUntrustedAsync(state, probes, warn)).ConfigureAwait(false);
        }

        return await Native(lab, () => ProbeAsync(state, probes, timeout, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Runs planned probes between the pods of <paramref name="state"/>.</summary>
    public Task<IReadOnlyList<ProbeResult>> ProbeAsync(LabState state, IReadOnlyList<ProbeRequest> probes, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new ProbeRunner(_executor).RunAsync(state, Namespaces, probes, timeout, cancellationToken);

    private async Task<bool> WarnUntrustedAsync(LabState state, IReadOnlyList<ProbeRequest> probes, Action<string> warn)
    {
        var neighbours = new LabNeighbours(_executor, Namespaces);
        var untrusted = 0;
        string? example = null;
        foreach (var from in probes.GroupBy(p => p.From, StringComparer.Ordinal))
        {
            var missing = (await neighbours.MissingAsync(state, from.Key, from.Select(p => p.Address)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            untrusted += from.Count(p => missing.Contains(p.Address.ToString()));
            example ??= missing.Count > 0 ? $"pod {from.Key} has no permanent neighbour entry for {missing.First()}" : null;
        }

        if (untrusted > 0)
        {
            warn($"lab {state.Name}: {untrusted} of {probes.Count} probes cannot be trusted ({example}): a failure may be address resolution, not policy; mnp lab apply --lab {state.Name} -f ... sets the entries");
        }

        return untrusted == 0;
    }

    /// <summary>Removes everything of the lab; false when there was nothing to remove.</summary>
    public Task<bool> DownAsync(string lab) => Native(lab, () => _builder.DownAsync(lab));

    /// <summary>
    /// A kernel or file failure of the lab's own operations (a namespace removed by hand, a refused link) as one
    /// line naming the lab and what repairs it, instead of a trace.
    /// </summary>
    private static async Task<T> Native<T>(string lab, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is Mnp.Native.Rtnetlink.RtnetlinkException or NetnsException or IOException)
        {
            throw new LabException($"lab {lab}: {e.Message} (mnp lab apply repairs what was removed by hand; mnp lab down removes the lab)", e);
        }
    }

    /// <summary>Builds the planned lab and runs <paramref name="finish"/> on it; any failure or cancellation in either removes the lab.</summary>
    private async Task<LabSummary> BuildAsync(LabState plan, Func<LabState, Task<LabSummary>> finish, CancellationToken cancellationToken)
    {
        var state = await Native(plan.Name, () => _builder.UpAsync(plan, cancellationToken)).ConfigureAwait(false);
        try
        {
            return await Native(plan.Name, () => finish(state)).ConfigureAwait(false);
        }
        catch
        {
            await _builder.DownAsync(plan.Name).ConfigureAwait(false);
            throw;
        }
    }

    private static ClusterSnapshotBuilder Collect(IEnumerable<ManifestObject> objects)
    {
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Manifests);
        foreach (var obj in objects)
        {
            builder.Apply(obj);
        }

        return builder;
    }

    /// <summary>
    /// A Namespace, Pod or NAD the lab cannot read would be built wrong: an error before anything is touched.
    /// A policy that does not parse stays (it fails closed, as in the agent) and is reported as a warning.
    /// </summary>
    private static (ClusterSnapshot Snapshot, ImmutableArray<string> Warnings) Validate(ClusterSnapshotBuilder desired)
    {
        var snapshot = desired.Build();
        if (snapshot.Problems.FirstOrDefault(p => p.Kind != ManifestKinds.MultiNetworkPolicy) is { } blocking)
        {
            throw new LabException(blocking.ToString());
        }

        return (snapshot, [.. snapshot.Problems.Select(p => $"invalid: {p}")]);
    }

    private ClusterSnapshotBuilder Current(string lab)
    {
        _ = Load(lab);
        return ReadManifests(lab);
    }

    private ClusterSnapshotBuilder ReadManifests(string lab)
    {
        var directory = Store.ManifestsDirectory(lab);
        return Collect(Directory.Exists(directory) ? ManifestLoader.Load([directory]).Objects : []);
    }

    /// <summary>Plans once (validating everything before a namespace is touched), builds, rewrites the folder, then the rules.</summary>
    private Task<LabSummary> CommitAsync(string lab, ClusterSnapshotBuilder desired, ImmutableArray<string> warnings, CancellationToken cancellationToken)
    {
        var (snapshot, problems) = Validate(desired);
        return CommitAsync(lab, snapshot, state => LabManifests.Write(Store.ManifestsDirectory(lab), desired.ManifestObjects, state), warnings.AddRange(problems), cancellationToken);
    }

    /// <summary>The one way an existing lab is brought to a desired <paramref name="snapshot"/>: plumbing, folder, neighbours, rules.</summary>
    internal async Task<LabSummary> CommitAsync(
        string lab, ClusterSnapshot snapshot, Action<LabState> writeManifests, ImmutableArray<string> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeManifests);
        var current = Load(lab);
        var plan = LabPlanner.Plan(lab, snapshot, current) with { NoRules = current.NoRules, Backend = current.Backend };
        var state = await Native(lab, () => _builder.ReconcileAsync(current, plan, cancellationToken)).ConfigureAwait(false);
        writeManifests(state);
        return await Native(lab, () => FinishAsync(snapshot, state, warnings, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The lab's links are up: static neighbour entries for every peer, then the rules (unless an agent owns them).</summary>
    private async Task<LabSummary> FinishAsync(ClusterSnapshot snapshot, LabState state, ImmutableArray<string> warnings, CancellationToken cancellationToken)
    {
        await new LabNeighbours(_executor, Namespaces).SetAllAsync(state, cancellationToken).ConfigureAwait(false);
        var renamed = state.Pods.Where(p => p.Netns != LabPlanner.PodNetnsName(state.Name, p.Namespace, p.Name))
            .Select(p => $"Pod {p.Key}: network namespace {p.Netns} ({LabNames.Shorten(LabPlanner.PodNetnsName(state.Name, p.Namespace, p.Name))} is taken or too long)");
        warnings = warnings.AddRange(renamed);
        return state.NoRules
            ? new LabSummary(state, new ReconcileReport([]), warnings)
            : new LabSummary(state, await _rules.ReconcileAsync(snapshot, state, cancellationToken).ConfigureAwait(false), warnings);
    }
}
