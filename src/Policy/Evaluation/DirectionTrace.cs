namespace Mnp.Policy.Evaluation;

/// <summary>
/// The decision for one direction (egress on the source, ingress on the destination).
/// <see cref="SelectingPolicies"/> isolate it; <see cref="AllowedBy"/> lists every matching rule;
/// <see cref="Reason"/> says in words why it is (not) isolated / allowed.
/// </summary>
public sealed record DirectionTrace(
    bool Allowed,
    bool Isolated,
    ImmutableArray<string> SelectingPolicies,
    ImmutableArray<RuleMatch> AllowedBy,
    string Reason);
