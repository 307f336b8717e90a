using Mnp.Native.Backends;

namespace Mnp.Native.Iptables;

/// <summary>Reads a whole table through an open session into a <see cref="TableDump"/>.</summary>
internal static class TableReader
{
    public static TableDump Read(IptcSession session) => Read(session.Family, session.Table, RawChain.ReadAll(session));

    public static TableDump Read(IpFamily family, string table, ImmutableArray<RawChain> raw)
    {
        var chains = ImmutableArray.CreateBuilder<ChainSummary>();
        var owned = ImmutableArray.CreateBuilder<NetfilterChain>();
        var anomalies = ImmutableArray.CreateBuilder<string>();
        var readBack = ImmutableArray.CreateBuilder<OwnedRule>();
        foreach (var (name, builtin, rules) in raw)
        {
            var isOwned = !builtin && ChainNames.IsOwned(name);
            var summaries = ImmutableArray.CreateBuilder<RuleSummary>(rules.Length);
            var ownedRules = ImmutableArray.CreateBuilder<NetfilterRule>();
            var foreignSeen = false;
            for (var i = 0; i < rules.Length; i++)
            {
                var decoded = EntryDecoder.Decode(family, rules[i].Entry, rules[i].Target);
                var ruleIsOwned = isOwned || (builtin && ChainNames.IsOwned(decoded.TargetName));
                summaries.Add(new RuleSummary(i, decoded.TargetName, decoded.Text, decoded.UnknownMatches, ruleIsOwned));
                if (!ruleIsOwned)
                {
                    foreignSeen = true;
                    continue;
                }

                if (decoded.Rule is null)
                {
                    anomalies.Add($"{name} rule {i}: not expressible in the model: {decoded.Text}");
                }
                else if (builtin && foreignSeen)
                {
                    anomalies.Add($"{name} rule {i}: our jump follows a foreign rule: {decoded.Text}");
                }
                else
                {
                    ownedRules.Add(decoded.Rule);
                    readBack.Add(new OwnedRule(
                        TableDump.Location(family, table, name),
                        i,
                        decoded.Text,
                        decoded.Rule.InInterface ?? decoded.Rule.OutInterface,
                        decoded.Rule.Comment));
                }
            }

            chains.Add(new ChainSummary(name, builtin, isOwned, summaries.ToImmutable()));
            if (isOwned || (builtin && ownedRules.Count > 0))
            {
                owned.Add(new NetfilterChain(name, ownedRules.ToImmutable()));
            }
        }

        return new TableDump(new NetfilterTable(family, table, owned.ToImmutable()), chains.ToImmutable(), anomalies.ToImmutable(), readBack.ToImmutable());
    }
}
