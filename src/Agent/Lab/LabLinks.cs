using System.Collections.Immutable;
using Mnp.Native.Netns;
using Mnp.Native.Rtnetlink;

namespace Mnp.Agent.Lab;

/// <summary>
/// The kernel steps of a lab's plumbing, one network or one pod at a time: a network's veth pair in the node
/// namespace, and a pod's named namespace with one macvlan (bridge) child of the parent per interface, moved in,
/// renamed, set up and addressed. <see cref="LabBuilder"/> decides what to make or remove and keeps the state; this
/// type only does it, so that the state-keeping reads apart from the link handling.
/// </summary>
internal sealed class LabLinks(NetnsExecutor executor, NamedNetns namespaces)
{
    /// <summary>Name a new macvlan gets in the node namespace until it is moved and renamed in the pod.</summary>
    public const string TransitName = "mnp-new-link";

    /// <summary>Creates the network's veth pair (the macvlan parent and its peer) in the node namespace, both up.</summary>
    public static void CreateParent(RtnlSocket node, LabNetwork network)
    {
        node.CreateVeth(network.Parent, network.Peer);
        SetUp(node, network.Parent);
        SetUp(node, network.Peer);
    }

    /// <summary>
    /// Creates the pod's namespace and its interfaces on the parents <paramref name="plan"/> names; returns the pod with
    /// each interface's MAC as the kernel reports it.
    /// </summary>
    public async Task<LabPod> CreatePodAsync(RtnlSocket node, LabState plan, LabPod pod)
    {
        var podRef = namespaces.Create(pod.Netns);
        using var inPod = await RtnlSocket.OpenAsync(executor, podRef).ConfigureAwait(false);
        SetUp(inPod, "lo");
        var interfaces = ImmutableArray.CreateBuilder<LabInterface>(pod.Interfaces.Length);
        foreach (var wanted in pod.Interfaces)
        {
            var parent = plan.Networks.First(n => n.Network == wanted.Network).Parent;
            if (node.TryGetLink(TransitName) is { } stale)
            {
                // Left by an interrupted reconcile: it never reached a pod.
                node.DeleteLink(stale.Index, TransitName);
            }

            node.CreateMacvlan(TransitName, node.GetLink(parent).Index, LabMacAddress.Bytes(LabMacAddress.For(wanted.Network, pod.Key, wanted)));
            node.MoveToNamespace(node.GetLink(TransitName).Index, TransitName, podRef);
            var moved = inPod.GetLink(TransitName);
            inPod.Rename(moved.Index, TransitName, wanted.Interface);
            inPod.SetUp(moved.Index, wanted.Interface);
            foreach (var address in wanted.Addresses)
            {
                inPod.AddAddress(moved.Index, wanted.Interface, address.Address, address.PrefixLength);
            }

            interfaces.Add(wanted with { Mac = inPod.GetLink(wanted.Interface).Mac });
        }

        return pod with { Interfaces = interfaces.MoveToImmutable() };
    }

    /// <summary>
    /// Deletes the pod's macvlans synchronously before its namespace: a dropped namespace is torn down by the kernel
    /// later, and until then its macvlans would still answer for their addresses on the shared parent (and hold their
    /// MACs, which a re-created pod needs again).
    /// </summary>
    public async Task RemovePodAsync(LabPod pod)
    {
        if (!namespaces.Exists(pod.Netns))
        {
            // Gone, or an empty file an interrupted create left: nothing to enter, only the name to free.
            namespaces.Delete(pod.Netns);
            return;
        }

        using (var inPod = await RtnlSocket.OpenAsync(executor, namespaces.RefOf(pod.Netns)).ConfigureAwait(false))
        {
            foreach (var name in pod.Interfaces.Select(i => i.Interface).Append(TransitName))
            {
                if (inPod.TryGetLink(name) is { } link)
                {
                    inPod.DeleteLink(link.Index, name);
                }
            }
        }

        namespaces.Delete(pod.Netns);
    }

    /// <summary>Sets the named link of <paramref name="socket"/>'s namespace up.</summary>
    public static void SetUp(RtnlSocket socket, string name) => socket.SetUp(socket.GetLink(name).Index, name);
}
