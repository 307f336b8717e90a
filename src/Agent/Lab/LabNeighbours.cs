using System.Net;
using Mnp.Native.Netns;
using Mnp.Native.Rtnetlink;

namespace Mnp.Agent.Lab;

/// <summary>
/// Static (permanent) neighbour entries for every lab peer: the lab knows every address and MAC, so resolution needs
/// no ARP or neighbour discovery. The kernel's neighbour tables are shared by all namespaces and collect dynamic
/// entries beyond gc_thresh3 (1,024 by default): 100 pods on one network need 9,900, and without static entries most
/// flows would fail for reasons that have nothing to do with policy. Permanent entries are not counted there.
/// </summary>
public sealed class LabNeighbours(NetnsExecutor executor, NamedNetns namespaces)
{
    /// <summary>Sets, in every pod, an entry for each address of each other pod on each network they share.</summary>
    public async Task SetAllAsync(LabState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var peers = PeersByNetwork(state);
        foreach (var pod in state.Pods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var socket = await RtnlSocket.OpenAsync(executor, namespaces.RefOf(pod.Netns)).ConfigureAwait(false);
            foreach (var own in pod.Interfaces)
            {
                var index = socket.GetLink(own.Interface).Index;
                foreach (var (peer, address, mac) in peers[own.Network].Where(p => p.Pod != pod.Key && Shares(own, p.Address)))
                {
                    socket.SetPermanentNeighbour(index, own.Interface, address, mac);
                }
            }
        }
    }

    /// <summary>
    /// The peers <paramref name="podKey"/> would reach without a permanent entry of the right MAC in its namespace (so a
    /// probe to them could fail for want of address resolution, not because of policy); empty when every entry is right.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissingAsync(LabState state, string podKey, IEnumerable<IPAddress> destinations)
    {
        ArgumentNullException.ThrowIfNull(state);
        var pod = state.FindPod(podKey) ?? throw new LabException($"Pod {podKey}: not in lab {state.Name}");
        var macOf = state.Pods.SelectMany(p => p.Interfaces).SelectMany(i => i.Addresses.Select(a => (a.Address, i.Mac)))
            .GroupBy(x => x.Address).ToDictionary(g => g.Key, g => g.First().Mac);
        using var socket = await RtnlSocket.OpenAsync(executor, namespaces.RefOf(pod.Netns)).ConfigureAwait(false);
        var held = socket.DumpNeighbours().Where(n => n.IsPermanent).Select(n => (n.Address, n.Mac)).ToHashSet();
        return [.. destinations.Distinct().Where(d => !macOf.TryGetValue(d, out var mac) || !held.Contains((d, mac))).Select(d => d.ToString())];
    }

    private static bool Shares(LabInterface own, IPAddress address) => own.Addresses.Any(a => a.Address.AddressFamily == address.AddressFamily);

    private static Dictionary<Mnp.Policy.Cluster.NetworkRef, List<(string Pod, IPAddress Address, byte[] Mac)>> PeersByNetwork(LabState state)
    {
        var result = state.Networks.ToDictionary(n => n.Network, _ => new List<(string, IPAddress, byte[])>());
        foreach (var pod in state.Pods)
        {
            foreach (var i in pod.Interfaces.Where(i => i.Mac is not null))
            {
                var mac = LabMacAddress.Bytes(i.Mac!);
                result[i.Network].AddRange(i.Addresses.Select(a => (pod.Key, a.Address, mac)));
            }
        }

        return result;
    }
}
