using System.Collections.Immutable;
using Mnp.Native.Netns;
using Mnp.Native.Rtnetlink;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>
/// Builds and removes labs: a node namespace holding one veth pair per NetworkAttachmentDefinition (the macvlan
/// parent and its peer), and one named namespace per pod with macvlan (bridge) children moved in, renamed,
/// set up and addressed. The state is saved before anything is created, so a failed or interrupted <c>up</c>
/// can always be removed; a failed <c>up</c> removes what it made before rethrowing.
/// </summary>
public sealed class LabBuilder(NetnsExecutor executor, NamedNetns namespaces, LabStore store)
{
    private readonly LabLinks _links = new(executor, namespaces);

    public LabStore Store { get; } = store;

    public NamedNetns Namespaces { get; } = namespaces;

    /// <summary>Creates lab <paramref name="labName"/> from the snapshot's namespaces, pods and NADs, replacing a stale lab of that name.</summary>
    public Task<LabState> UpAsync(string labName, ClusterSnapshot snapshot, CancellationToken cancellationToken = default) =>
        UpAsync(LabPlanner.Plan(labName, snapshot), cancellationToken);

    /// <summary>Creates the planned lab, replacing a stale lab of that name; whatever fails (or is cancelled) leaves nothing.</summary>
    public async Task<LabState> UpAsync(LabState plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await DownAsync(plan.Name).ConfigureAwait(false);
        CheckNoForeignNamespaces(plan.AllNetns);
        Store.Save(plan);
        try
        {
            var built = await CreateAsync(plan, cancellationToken).ConfigureAwait(false);
            Store.Save(built);
            return built;
        }
        catch
        {
            await DownAsync(plan.Name).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Brings an existing lab to the snapshot (plans against its state, then <see cref="ReconcileAsync(LabState, LabState, CancellationToken)"/>).</summary>
    public Task<LabState> ReconcileAsync(string labName, ClusterSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var current = Store.Load(labName) ?? throw new LabException($"lab {labName} is not up");
        return ReconcileAsync(current, LabPlanner.Plan(labName, snapshot, current), cancellationToken);
    }

    /// <summary>
    /// Brings the lab from <paramref name="current"/> (its saved state) to <paramref name="plan"/>: pods that are new
    /// or whose network requests changed are (re)created, pods no longer present are removed, unchanged pods keep their
    /// namespace and addresses. What was broken behind the lab's back is repaired: a pod whose namespace is gone (or
    /// that an interrupted command left half made) is re-created with its addresses, and a missing node namespace is
    /// re-created with every parent and every pod. Returns the saved state.
    /// </summary>
    public async Task<LabState> ReconcileAsync(LabState current, LabState plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(plan);
        var nodeMissing = !Namespaces.Exists(current.NodeNetns);
        var broken = current.Pods.Where(p => nodeMissing || !Namespaces.Exists(p.Netns) || p.Interfaces.Any(i => i.Mac is null)).ToHashSet();
        foreach (var pod in current.Pods.Where(p => broken.Contains(p) || !plan.Pods.Contains(p)))
        {
            await _links.RemovePodAsync(pod).ConfigureAwait(false);
        }

        var state = current with
        {
            Networks = nodeMissing ? [] : current.Networks,
            Pods = [.. current.Pods.Where(p => !broken.Contains(p) && plan.Pods.Contains(p))],
        };
        Store.Save(state);
        var newNetworks = plan.Networks.Where(n => !state.Networks.Contains(n)).ToList();
        var newPods = plan.Pods.Where(p => !state.Pods.Contains(p)).ToList();
        CheckNoForeignNamespaces(newPods.Select(p => p.Netns));

        // Record the intent first so that `down` finds whatever an interrupted reconcile made.
        Store.Save(state with { Networks = plan.Networks, Pods = [.. state.Pods, .. newPods] });
        if (nodeMissing)
        {
            // A SIGKILL during create can leave the node's name taken by an empty file.
            Namespaces.Delete(current.NodeNetns);
        }

        var nodeRef = nodeMissing ? Namespaces.Create(plan.NodeNetns) : Namespaces.RefOf(plan.NodeNetns);
        using var node = await RtnlSocket.OpenAsync(executor, nodeRef).ConfigureAwait(false);
        if (nodeMissing)
        {
            LabLinks.SetUp(node, "lo");
        }

        foreach (var gone in state.Networks.Where(n => !plan.Networks.Contains(n)))
        {
            // Deleting one end of a veth pair deletes both; pods on it were re-planned or removed above.
            if (node.TryGetLink(gone.Parent) is { } link)
            {
                node.DeleteLink(link.Index, gone.Parent);
            }
        }

        foreach (var network in newNetworks)
        {
            LabLinks.CreateParent(node, network);
        }

        var built = new Dictionary<string, LabPod>(StringComparer.Ordinal);
        foreach (var pod in newPods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            built[pod.Key] = await _links.CreatePodAsync(node, plan, pod).ConfigureAwait(false);
        }

        var result = plan with { Pods = [.. plan.Pods.Select(p => built.GetValueOrDefault(p.Key) ?? p)] };
        Store.Save(result);
        return result;
    }

    /// <summary>Removes one pod (its interfaces first, then its namespace) and saves the state.</summary>
    public async Task<LabState> DeletePodAsync(string labName, string podKey)
    {
        var current = Store.Load(labName) ?? throw new LabException($"lab {labName} is not up");
        var pod = current.FindPod(podKey) ?? throw new LabException($"Pod {podKey}: not in lab {labName}");
        await _links.RemovePodAsync(pod).ConfigureAwait(false);
        var result = current with { Pods = current.Pods.Remove(pod) };
        Store.Save(result);
        return result;
    }

    /// <summary>
    /// Removes every namespace and file of the lab; false (and nothing done) when there is no such lab. When the
    /// state file cannot be read, the lab's namespaces are found by name (<c>mnplab-NAME-*</c>) minus those another
    /// lab's state claims.
    /// </summary>
    public Task<bool> DownAsync(string labName)
    {
        LabPlanner.ValidateLabName(labName);
        LabState? state;
        IEnumerable<string> owned;
        try
        {
            state = Store.Load(labName);
            owned = state?.AllNetns ?? [];
        }
        catch (LabException)
        {
            state = null;
            owned = NamespacesByName(labName);
        }

        var removed = false;

        // Deleting a namespace destroys the veths and macvlans inside it: every lab link lives in a lab namespace.
        foreach (var netns in owned.Where(Namespaces.IsTaken).ToList())
        {
            removed |= Namespaces.Delete(netns);
        }

        return Task.FromResult(Store.Delete(labName) || state is not null || removed);
    }

    /// <summary>
    /// The namespaces named like lab <paramref name="labName"/>'s, minus those another lab's state claims and those
    /// that could be another lab's by name: lab <c>t</c>'s prefix <c>mnplab-t-</c> also starts every name of lab
    /// <c>t-x</c>, so while a lab <c>t-x</c> exists, names under <c>mnplab-t-x-</c> are left alone (and reported).
    /// </summary>
    private List<string> NamespacesByName(string labName)
    {
        var prefix = $"{LabPlanner.NetnsPrefix}{labName}-";
        var claimedByOthers = new HashSet<string>(StringComparer.Ordinal);
        var otherPrefixes = new List<string>();
        foreach (var other in Directory.Exists(Store.Root) ? Directory.EnumerateDirectories(Store.Root).Select(Path.GetFileName).OfType<string>() : [])
        {
            if (other == labName)
            {
                continue;
            }

            if (other.StartsWith(labName + "-", StringComparison.Ordinal))
            {
                otherPrefixes.Add($"{LabPlanner.NetnsPrefix}{other}-");
            }

            try
            {
                claimedByOthers.UnionWith(Store.Load(other)?.AllNetns ?? []);
            }
            catch (LabException)
            {
                // Another broken lab: it does not claim anything readable.
            }
        }

        var candidates = Namespaces.List().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && !claimedByOthers.Contains(n)).ToList();
        var ambiguous = candidates.Where(n => otherPrefixes.Any(o => n.StartsWith(o, StringComparison.Ordinal))).ToList();
        if (ambiguous.Count > 0)
        {
            Console.Error.WriteLine($"mnp: warning: lab {labName}: state unreadable; left {ambiguous.Count} namespace(s) that may belong to another lab, e.g. {ambiguous[0]} (remove by hand: ip netns del NAME)");
        }

        return [.. candidates.Except(ambiguous)];
    }

    private void CheckNoForeignNamespaces(IEnumerable<string> names)
    {
        var taken = names.Where(Namespaces.IsTaken).ToList();
        if (taken.Count > 0)
        {
            throw new LabException($"network namespace {taken[0]} already exists and does not belong to this lab; remove it first (ip netns del {taken[0]})");
        }
    }

    private async Task<LabState> CreateAsync(LabState plan, CancellationToken cancellationToken)
    {
        var nodeRef = Namespaces.Create(plan.NodeNetns);
        using var node = await RtnlSocket.OpenAsync(executor, nodeRef).ConfigureAwait(false);
        LabLinks.SetUp(node, "lo");
        foreach (var network in plan.Networks)
        {
            LabLinks.CreateParent(node, network);
        }

        var pods = ImmutableArray.CreateBuilder<LabPod>(plan.Pods.Length);
        foreach (var pod in plan.Pods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            pods.Add(await _links.CreatePodAsync(node, plan, pod).ConfigureAwait(false));
        }

        return plan with { Pods = pods.MoveToImmutable() };
    }
}
