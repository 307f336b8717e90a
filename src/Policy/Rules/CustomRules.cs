namespace Mnp.Policy.Rules;

/// <summary>
/// The structured replacement for the Go reference's custom iptables rule files (<c>--custom-rules FILE</c>): what
/// every isolated direction also accepts, per direction, rendered by both backends. <see cref="NeighborDiscovery"/>,
/// when set, decides IPv6 neighbour discovery instead of <c>--accept-neighbor-discovery</c>.
/// </summary>
public sealed record CustomRules(CommonAllowances Ingress, CommonAllowances Egress, bool? NeighborDiscovery = null)
{
    public static CustomRules None { get; } = new(CommonAllowances.None, CommonAllowances.None);

    /// <summary>The origin allowances for the prefixes carry (rule comments name it instead of a policy).</summary>
    public const string Origin = "mnp/custom-rules";

    public CommonAllowances For(Direction direction) => direction == Direction.Ingress ? Ingress : Egress;
}
