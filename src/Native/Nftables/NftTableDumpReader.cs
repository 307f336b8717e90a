using Mnp.Policy.Nftables;
using static Mnp.Native.Nftables.NftNetlink;

namespace Mnp.Native.Nftables;

/// <summary>
/// Assembles our table from the kernel's dumps (tables, then its sets and their elements, chains, rules) on one
/// socket: what the dumps hold that is not ours, or not what we write, becomes an anomaly or a foreign table name,
/// never an exception. <see cref="NftSocket.ReadTable"/> brackets it with the generation.
/// </summary>
internal static class NftTableDumpReader
{
    public static NftTableDump Read(NftSocket socket, string name, uint generation)
    {
        var anomalies = ImmutableArray.CreateBuilder<string>();
        var foreign = ImmutableArray.CreateBuilder<string>();
        string? comment = null;
        var exists = false;
        foreach (var message in socket.Request(GetTable, FlagDump, FamilyUnspec, null, "dump tables"))
        {
            var (tableName, family, tableComment) = NftDumpDecoder.Table(message.Payload);
            if (family == FamilyInet && tableName == name)
            {
                exists = true;
                comment = tableComment;
            }
            else
            {
                foreign.Add($"{FamilyName(family)} {tableName}");
            }
        }

        if (!exists)
        {
            return new NftTableDump(null, false, [], generation, foreign.ToImmutable());
        }

        var sets = ImmutableArray.CreateBuilder<NftSet>();
        foreach (var message in socket.Request(GetSet, FlagDump, FamilyInet, w => w.String(SetTable, name), "dump sets"))
        {
            var (setName, type, problem) = NftDumpDecoder.Set(message.Payload);
            if (type is not { } keyType)
            {
                anomalies.Add(problem!);
                continue;
            }

            var shape = new NftSet(setName, keyType, []);
            var elements = new List<(UInt128, bool)>();
            var tuples = new List<NftConcatKey>();
            foreach (var part in socket.Request(GetSetElem, FlagDump, FamilyInet, w => w.String(ElemListTable, name).String(ElemListSet, setName), $"dump set {setName}"))
            {
                if (shape.IsConcatenation)
                {
                    NftDumpDecoder.Tuples(part.Payload, shape.AddressLength, tuples);
                }
                else
                {
                    NftDumpDecoder.Elements(part.Payload, elements);
                }
            }

            sets.Add(shape.IsConcatenation
                ? shape with { Tuples = NftSet.SortTuples(tuples, keyType == NftSetKeyType.Ipv6ProtoService) }
                : shape with { Elements = NftDumpDecoder.Intervals(elements, shape.MaxKey) });
        }

        var chains = new List<(string Name, NftHook? Hook, ImmutableArray<NftRule>.Builder Rules)>();
        foreach (var message in socket.Request(GetChain, FlagDump, FamilyInet, w => w.String(ChainTable, name), "dump chains"))
        {
            var (chainName, hook, problem) = NftDumpDecoder.Chain(message.Payload);
            if (problem is not null)
            {
                anomalies.Add(problem);
            }

            chains.Add((chainName, hook, ImmutableArray.CreateBuilder<NftRule>()));
        }

        foreach (var message in socket.Request(GetRule, FlagDump, FamilyInet, w => w.String(RuleTable, name), "dump rules"))
        {
            var (chainName, rule, problem) = NftDumpDecoder.Rule(message.Payload);
            if (rule is null)
            {
                anomalies.Add(problem!);
                continue;
            }

            var index = chains.FindIndex(c => c.Name == chainName);
            if (index < 0)
            {
                anomalies.Add($"rule in unknown chain {chainName}");
                continue;
            }

            chains[index].Rules.Add(rule);
        }

        if (comment != NftTable.OwnedMarker)
        {
            anomalies.Add($"table inet {name} has comment \"{comment}\", not our marker \"{NftTable.OwnedMarker}\"");
        }

        var table = new NftTable(name, comment ?? "", sets.ToImmutable(), [.. chains.Select(c => new NftChain(c.Name, c.Hook, c.Rules.ToImmutable()))]);
        return new NftTableDump(table, comment == NftTable.OwnedMarker, anomalies.ToImmutable(), generation, foreign.ToImmutable());
    }

    private static string FamilyName(byte family) => family switch
    {
        1 => "inet",
        2 => "ip",
        3 => "arp",
        5 => "netdev",
        7 => "bridge",
        10 => "ip6",
        _ => $"family{family}",
    };
}
