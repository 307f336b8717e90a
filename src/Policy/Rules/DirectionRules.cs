namespace Mnp.Policy.Rules;

/// <summary>
/// One direction of one pod interface. When not <see cref="Isolated"/> everything passes; otherwise only
/// what some <see cref="Allowances"/> entry matches (plus replies). <see cref="SelectingPolicies"/> names the
/// policies that isolate it.
/// </summary>
public sealed record DirectionRules(bool Isolated, ImmutableArray<string> SelectingPolicies, ImmutableArray<Allowance> Allowances)
{
    public static DirectionRules Open { get; } = new(false, [], []);
}
