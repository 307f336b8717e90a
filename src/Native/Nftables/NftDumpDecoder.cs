using Mnp.Policy.Nftables;
using static Mnp.Native.Nftables.NftNetlink;

namespace Mnp.Native.Nftables;

/// <summary>Pure decoding of table, set, element, chain and rule dump messages into our model (tested on captured bytes).</summary>
internal static class NftDumpDecoder
{
    public static (string Name, byte Family, string? Comment) Table(ReadOnlyMemory<byte> payload)
    {
        var attributes = NfAttributes.OfMessage(payload);
        var comment = NfAttributes.Find(attributes, TableUserData) is { } userData ? NfAttributes.Comment(userData.Span) : null;
        return (NfAttributes.String(attributes, TableName) ?? "", payload.Span[0], comment);
    }

    /// <summary>A set's name and key type; null with a reason when it is not one of our interval sets or concatenations.</summary>
    public static (string Name, NftSetKeyType? Type, string? Problem) Set(ReadOnlyMemory<byte> payload)
    {
        var attributes = NfAttributes.OfMessage(payload);
        var name = NfAttributes.String(attributes, SetName) ?? "";
        var flags = NfAttributes.U32(attributes, SetFlags) ?? 0;
        var type = NfAttributes.U32(attributes, SetKeyType) ?? 0;
        var length = NfAttributes.U32(attributes, SetKeyLength);
        if (flags == 0)
        {
            return type switch
            {
                (uint)NftSetKeyType.Ipv4ProtoService when length == 12 => (name, NftSetKeyType.Ipv4ProtoService, null),
                (uint)NftSetKeyType.Ipv6ProtoService when length == 24 => (name, NftSetKeyType.Ipv6ProtoService, null),
                _ => (name, null, $"set {name} has flags 0 and key type 0x{type:x}, ours without intervals are address . protocol . port"),
            };
        }

        if (flags != SetFlagInterval)
        {
            return (name, null, $"set {name} has flags 0x{flags:x}, ours are interval sets");
        }

        return type switch
        {
            (uint)NftSetKeyType.Ipv4Address when NfAttributes.U32(attributes, SetKeyLength) == 4 => (name, NftSetKeyType.Ipv4Address, null),
            (uint)NftSetKeyType.Ipv6Address when NfAttributes.U32(attributes, SetKeyLength) == 16 => (name, NftSetKeyType.Ipv6Address, null),
            (uint)NftSetKeyType.InetService when NfAttributes.U32(attributes, SetKeyLength) == 2 => (name, NftSetKeyType.InetService, null),
            _ => (name, null, $"set {name} has key type {type}, not one of ours"),
        };
    }

    /// <summary>Appends the (key, is-end) elements of one NEWSETELEM dump message.</summary>
    public static void Elements(ReadOnlyMemory<byte> payload, List<(UInt128 Key, bool End)> into)
    {
        var attributes = NfAttributes.OfMessage(payload);
        if (NfAttributes.Find(attributes, ElemListElements) is not { } list)
        {
            return;
        }

        foreach (var (_, element) in NfAttributes.Parse(list))
        {
            var fields = NfAttributes.Parse(element);
            if (NfAttributes.DataValue(fields, ElemKey) is not { } key)
            {
                continue;
            }

            UInt128 value = 0;
            foreach (var b in key.Span)
            {
                value = (value << 8) | b;
            }

            into.Add((value, ((NfAttributes.U32(fields, ElemFlags) ?? 0) & ElemIntervalEnd) != 0));
        }
    }

    /// <summary>Appends the elements of one NEWSETELEM dump message of a concatenation (address, protocol, port; fields padded to 4).</summary>
    public static void Tuples(ReadOnlyMemory<byte> payload, int addressLength, List<NftConcatKey> into)
    {
        var attributes = NfAttributes.OfMessage(payload);
        if (NfAttributes.Find(attributes, ElemListElements) is not { } list)
        {
            return;
        }

        foreach (var (_, element) in NfAttributes.Parse(list))
        {
            if (NfAttributes.DataValue(NfAttributes.Parse(element), ElemKey) is not { } key || key.Length != addressLength + 8)
            {
                continue;
            }

            UInt128 address = 0;
            foreach (var b in key.Span[..addressLength])
            {
                address = (address << 8) | b;
            }

            into.Add(new NftConcatKey(address, key.Span[addressLength], System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(key.Span[(addressLength + 4)..])));
        }
    }

    /// <summary>Pairs interval elements (any order) into inclusive ranges: each start with the next end, no end = the top.</summary>
    public static ImmutableArray<NftInterval> Intervals(List<(UInt128 Key, bool End)> elements, UInt128 maxKey)
    {
        elements.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.End.CompareTo(b.End) * -1);
        var result = ImmutableArray.CreateBuilder<NftInterval>();
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i].End)
            {
                continue; // an end without a start (nft's leading 0.0.0.0 end)
            }

            var last = i + 1 < elements.Count && elements[i + 1].End ? elements[i + 1].Key - 1 : maxKey;
            result.Add(new NftInterval(elements[i].Key, last));
        }

        return result.ToImmutable();
    }

    /// <summary>A chain: name, hook (null for a regular chain) and, for a base chain, a problem when it is not filter/priority 0/policy accept.</summary>
    public static (string Name, NftHook? Hook, string? Problem) Chain(ReadOnlyMemory<byte> payload)
    {
        var attributes = NfAttributes.OfMessage(payload);
        var name = NfAttributes.String(attributes, ChainName) ?? "";
        if (NfAttributes.Find(attributes, ChainHook) is not { } hookNest)
        {
            return (name, null, null);
        }

        var hook = NfAttributes.Parse(hookNest);
        var number = NfAttributes.U32(hook, HookNumber);
        var priority = NfAttributes.U32(hook, HookPriority);
        var policy = NfAttributes.U32(attributes, ChainPolicy);
        var type = NfAttributes.String(attributes, ChainType);
        NftHook? known = number switch
        {
            (uint)NftHook.Input => NftHook.Input,
            (uint)NftHook.Output => NftHook.Output,
            _ => null,
        };
        var problem = known is null || priority != 0 || policy != VerdictAccept || type != "filter"
            ? $"base chain {name} is hook {number} priority {(int)(priority ?? 0)} policy {policy} type {type}, ours are filter priority 0 policy accept"
            : null;
        return (name, known ?? NftHook.Input, problem);
    }

    /// <summary>A rule: its chain and the decoded rule, or null with the reason.</summary>
    public static (string Chain, NftRule? Rule, string? Problem) Rule(ReadOnlyMemory<byte> payload)
    {
        var attributes = NfAttributes.OfMessage(payload);
        var chain = NfAttributes.String(attributes, RuleChain) ?? "";
        var rule = NftRuleDecoder.Decode(attributes, out var problem);
        return (chain, rule, problem is null ? null : $"chain {chain}: {problem}");
    }
}
