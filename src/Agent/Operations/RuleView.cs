using System.Collections.Immutable;
using Mnp.Native.Backends;

namespace Mnp.Agent.Operations;

/// <summary>
/// What one backend holds of ours in one namespace (read back), or would hold (rendered): the containers (chains,
/// tables, sets; an empty one counts), the rules by location, and the anomalies a read found (things of ours the
/// model cannot express; always drift).
/// </summary>
public sealed record RuleView(FirewallBackendKind Backend, ImmutableArray<string> Containers, ImmutableArray<RuleLine> Rules, ImmutableArray<string> Anomalies)
{
    public static RuleView Empty(FirewallBackendKind backend) => new(backend, [], [], []);

    public bool IsEmpty => Containers.IsEmpty && Rules.IsEmpty && Anomalies.IsEmpty;
}
