using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// Judges connections between E2eModel pods from the compiled model alone (no iptables): a connection is allowed
/// iff the source's egress and the destination's ingress both allow it on net1. Loopback is ignored as in the suite.
/// </summary>
public sealed class Reachability
{
    private readonly Dictionary<string, InterfaceRules> _rules;

    public Reachability(TestCluster cluster) =>
        _rules = PolicyCompiler.Compile(cluster.Build(), null, PolicyOptions.Default)
            .ToDictionary(p => p.Pod.Key, p => p.Interfaces.Single(i => i.Interface == "net1"));

    public static bool Allows(DirectionRules rules, IPAddress remote, Protocol protocol, int port)
    {
        if (!rules.Isolated)
        {
            return true;
        }

        return rules.Allowances.Any(a =>
            (a.AnyPeer || a.Peers.Any(p => p.Contains(remote))) && (a.AnyPort || a.Ports.Any(r => r.Contains(protocol, port))));
    }

    public bool Connects(string from, string to, Protocol protocol, int port) =>
        Allows(_rules[from].Egress, IPAddress.Parse(CompilerModel.Ip(to)), protocol, port)
        && Allows(_rules[to].Ingress, IPAddress.Parse(CompilerModel.Ip(from)), protocol, port);

    /// <summary>Every denied ordered pair among the model's pods, as "x/a->y/b", sorted.</summary>
    public IReadOnlyList<string> Denied(Protocol protocol, int port)
    {
        var pods = CompilerModel.Namespaces.SelectMany(n => CompilerModel.PodNames.Select(p => $"{n}/{p}")).ToList();
        return [.. from f in pods from t in pods where f != t && !Connects(f, t, protocol, port) select $"{f}->{t}"];
    }

    /// <summary>Expands patterns like "*->x/a", "x/*->x/a", "x/a->*" into sorted pairs (loopback excluded).</summary>
    public static IReadOnlyList<string> Pairs(params string[] patterns)
    {
        var pods = CompilerModel.Namespaces.SelectMany(n => CompilerModel.PodNames.Select(p => $"{n}/{p}")).ToList();
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            var parts = pattern.Split("->");
            foreach (var f in pods.Where(p => Matches(parts[0], p)))
            {
                foreach (var t in pods.Where(p => Matches(parts[1], p) && p != f))
                {
                    result.Add($"{f}->{t}");
                }
            }
        }

        return [.. result];
    }

    private static bool Matches(string pattern, string pod) =>
        pattern == "*" || pattern == pod || (pattern.EndsWith("/*", StringComparison.Ordinal) && pod.StartsWith(pattern[..^1], StringComparison.Ordinal));
}
