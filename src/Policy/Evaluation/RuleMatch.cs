namespace Mnp.Policy.Evaluation;

/// <summary>
/// One rule that allows the connection: <see cref="Policy"/> (<c>ns/name</c>), its <see cref="Rule"/> index in
/// that direction, the matching peer (<see cref="PeerIndex"/> null when the rule has no peer list) and port
/// entry (<see cref="PortIndex"/> null when the rule has no port list); <see cref="Port"/> describes the port match.
/// </summary>
public sealed record RuleMatch(string Policy, int Rule, PeerKind PeerKind, int? PeerIndex, int? PortIndex, string Port);
