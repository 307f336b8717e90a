using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>
/// What a rule's peer list means on one network: the address ranges it matches (selected pods' host prefixes
/// in pod order, the first <paramref name="Hosts"/> entries, then ipBlocks in address order) and, for named-port
/// resolution, the pods whose addresses it selects.
/// </summary>
internal sealed record ResolvedPeers(ImmutableArray<PeerMatch> Matches, ImmutableArray<PeerEndpoint> SelectedPods, int Hosts);
