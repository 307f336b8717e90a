namespace Mnp.Policy.Rules;

/// <summary>Which policy (<c>namespace/name</c>) and which rule index of one direction an allowance comes from.</summary>
public readonly record struct RuleOrigin(string Policy, Direction Direction, int Rule)
{
    public override string ToString() => $"{Policy} {(Direction == Direction.Ingress ? "ingress" : "egress")}[{Rule}]";
}
