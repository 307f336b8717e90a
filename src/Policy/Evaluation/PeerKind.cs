namespace Mnp.Policy.Evaluation;

/// <summary>What kind of peer entry matched the remote end.</summary>
public enum PeerKind
{
    /// <summary>The rule has no <c>from</c>/<c>to</c>: every peer.</summary>
    Any,
    PodSelector,
    NamespaceSelector,
    NamespaceAndPodSelector,
    IpBlock,
}
