using System.Collections.Immutable;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab.Probe;

/// <summary>What to probe (<c>lab probe</c>, docs/cli.md §5): empty lists mean every pod, the destination's declared ports, TCP.</summary>
public sealed record ProbeFilter(ImmutableArray<string> From, ImmutableArray<string> To, ImmutableArray<int> Ports, ImmutableArray<Protocol> Protocols)
{
    public static ProbeFilter All { get; } = new([], [], [], []);
}
