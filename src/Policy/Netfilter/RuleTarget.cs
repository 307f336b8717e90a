namespace Mnp.Policy.Netfilter;

/// <summary>A standard verdict or a jump to one of our chains.</summary>
public sealed record RuleTarget(RuleTargetKind Kind, string? Chain)
{
    public static RuleTarget Accept { get; } = new(RuleTargetKind.Accept, null);
    public static RuleTarget Drop { get; } = new(RuleTargetKind.Drop, null);
    public static RuleTarget Return { get; } = new(RuleTargetKind.Return, null);

    public static RuleTarget JumpTo(string chain) => new(RuleTargetKind.Jump, chain);

    /// <summary>The name iptables shows after <c>-j</c>.</summary>
    public string Name => Kind switch
    {
        RuleTargetKind.Accept => "ACCEPT",
        RuleTargetKind.Drop => "DROP",
        RuleTargetKind.Return => "RETURN",
        _ => Chain!,
    };
}
