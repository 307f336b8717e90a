using Mnp.Policy.Cluster;

namespace Mnp.Tests.Support.E2e;

/// <summary>The truth table for one port and protocol: all allowed, then the overrides in order (later wins).</summary>
public sealed record PortExpectation(int Port, Protocol Protocol, ImmutableArray<Override> Overrides)
{
    public bool Expected(string from, string to)
    {
        var allowed = true;
        foreach (var entry in Overrides)
        {
            if (entry.Covers(from, to))
            {
                allowed = entry.Allowed;
            }
        }

        return allowed;
    }

    public override string ToString() => $"{Protocol.ToString().ToUpperInvariant()}/{Port}";
}
