using System.Collections.Immutable;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Nftables;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;

namespace Mnp.Agent.Operations;

/// <summary>
/// Turns each backend's models into <see cref="RuleView"/>s, the rendered ones and the read-back ones through the same
/// printer (iptables-save syntax, nft syntax), so that two views compare line by line and a difference prints as
/// the operator's tools would show it.
/// </summary>
public static class RuleViews
{
    public const string NftScope = "inet " + NftTable.OwnedName;

    /// <summary>The two filter tables of the iptables backend (rendered, or our part as read back).</summary>
    public static RuleView Iptables(NetfilterTable v4, NetfilterTable v6, ImmutableArray<string> anomalies)
    {
        ArgumentNullException.ThrowIfNull(v4);
        ArgumentNullException.ThrowIfNull(v6);
        var containers = ImmutableArray.CreateBuilder<string>();
        var rules = ImmutableArray.CreateBuilder<RuleLine>();
        foreach (var table in new[] { v4, v6 })
        {
            var inherited = InheritedOrigins(table.Chains.SelectMany(c => c.Rules).Select(r => (r.Target.Kind == RuleTargetKind.Jump ? r.Target.Chain : null, r.Comment)));
            foreach (var chain in table.Chains)
            {
                var location = $"{(table.Family == IpFamily.V4 ? "IPv4" : "IPv6")} {table.Name}/{chain.Name}";
                if (!chain.IsBuiltin)
                {
                    containers.Add(location);
                }

                for (var i = 0; i < chain.Rules.Length; i++)
                {
                    var rule = chain.Rules[i];
                    rules.Add(new RuleLine(location, i, IptablesSaveWriter.FormatRule(rule, table.Family), rule.Comment ?? inherited.GetValueOrDefault(chain.Name)));
                }
            }
        }

        return new RuleView(FirewallBackendKind.Iptables, containers.ToImmutable(), rules.ToImmutable(), anomalies.IsDefault ? [] : anomalies);
    }

    /// <summary>Our part of both filter tables as read back.</summary>
    public static RuleView Iptables(TableDump v4, TableDump v6)
    {
        ArgumentNullException.ThrowIfNull(v4);
        ArgumentNullException.ThrowIfNull(v6);
        return Iptables(v4.Owned, v6.Owned, [.. v4.Anomalies.Select(a => $"IPv4 {v4.Owned.Name}/{a}"), .. v6.Anomalies.Select(a => $"IPv6 {v6.Owned.Name}/{a}")]);
    }

    /// <summary>Our nftables table (null: none), rendered or read back.</summary>
    public static RuleView Nftables(NftTable? table, ImmutableArray<string> anomalies)
    {
        var containers = ImmutableArray.CreateBuilder<string>();
        var rules = ImmutableArray.CreateBuilder<RuleLine>();
        if (table is not null)
        {
            containers.Add(NftScope);
            foreach (var set in table.Sets)
            {
                var location = $"{NftScope}/set {set.Name}";
                containers.Add($"{location} (type {set.KeyType})");
                for (var i = 0; i < set.Elements.Length; i++)
                {
                    rules.Add(new RuleLine(location, i, NftText.Element(set.KeyType, set.Elements[i]), null));
                }

                for (var i = 0; i < set.Tuples.Length; i++)
                {
                    rules.Add(new RuleLine(location, i, NftText.Tuple(set.KeyType == NftSetKeyType.Ipv6ProtoService, set.Tuples[i]), null));
                }
            }

            var inherited = InheritedOrigins(table.Chains.SelectMany(c => c.Rules).Select(r => (r.Verdict.Kind == NftVerdictKind.Jump ? r.Verdict.Chain : null, OriginOf(r))));
            foreach (var chain in table.Chains)
            {
                var location = $"{NftScope}/{chain.Name}";
                containers.Add(chain.Hook is { } hook ? $"{location} (hook {(hook == NftHook.Input ? "input" : "output")})" : location);
                for (var i = 0; i < chain.Rules.Length; i++)
                {
                    var rule = chain.Rules[i];
                    rules.Add(new RuleLine(location, i, NftText.Rule(rule), OriginOf(rule) ?? inherited.GetValueOrDefault(chain.Name)));
                }
            }
        }

        return new RuleView(FirewallBackendKind.Nftables, containers.ToImmutable(), rules.ToImmutable(), anomalies.IsDefault ? [] : anomalies);
    }

    /// <summary>Our nftables table as read back.</summary>
    public static RuleView Nftables(NftTableDump dump)
    {
        ArgumentNullException.ThrowIfNull(dump);
        // The reader already names a missing marker among the anomalies.
        return Nftables(dump.Table, dump.Anomalies);
    }

    /// <summary>Structural comments start with <c>mnp:</c>; the others are a policy rule's origin.</summary>
    private static string? OriginOf(NftRule rule) =>
        rule.Comment is { } comment && !comment.StartsWith("mnp:", StringComparison.Ordinal) ? comment : null;

    /// <summary>
    /// A chain that exists for one policy rule (its peers or ports, reached by a jump carrying that rule's origin)
    /// lends the origin to its rules, which carry none themselves. A chain reached from several origins lends none.
    /// </summary>
    private static Dictionary<string, string> InheritedOrigins(IEnumerable<(string? Target, string? Origin)> jumps)
    {
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        var shared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (target, origin) in jumps)
        {
            if (target is null || origin is null)
            {
                continue;
            }

            if (origins.TryGetValue(target, out var seen) && seen != origin)
            {
                shared.Add(target);
            }

            origins[target] = origin;
        }

        foreach (var target in shared)
        {
            origins.Remove(target);
        }

        return origins;
    }
}
