using System.Buffers.Binary;
using System.Text;
using Mnp.Policy.Nftables;
using static Mnp.Native.Nftables.NftNetlink;

namespace Mnp.Native.Nftables;

/// <summary>
/// Encodes the one batch that makes our table equal to a model: [NEWTABLE, DELTABLE] (the any-kernel destroy: the
/// NEWTABLE makes the DELTABLE safe whether or not the table exists), then NEWTABLE with the marker and every set,
/// element, chain and rule. The kernel applies it all or nothing. Base chains have policy accept, so their
/// re-creation leaks nothing: only explicit drop rules enforce. Every object message is family inet and names our
/// table; nothing else is ever addressed.
/// </summary>
internal static class NftBatchEncoder
{
    /// <summary>A batch replacing our table with <paramref name="table"/>, or only removing it when null.</summary>
    public static EncodedBatch Replace(NftTable? table, uint generation, uint firstSequence)
    {
        var writer = new NfMessageWriter(table is null ? 256 : 64 * 1024);
        var objects = ImmutableDictionary.CreateBuilder<uint, string>();
        var sequence = firstSequence;
        var begin = sequence;
        writer.Begin(BatchBegin, FlagRequest, sequence++, FamilyUnspec, Subsystem >> 8).U32(BatchGenId, generation).End();
        var name = table?.Name ?? NftTable.OwnedName;
        var count = 1;

        objects[sequence] = $"table inet {name} (ensure)";
        Message(writer, NewTable, FlagRequest, sequence++).String(TableName, name).End();
        objects[sequence] = $"table inet {name} (delete)";
        Message(writer, DelTable, FlagRequest, sequence++).String(TableName, name).End();
        count += 2;
        if (table is not null)
        {
            objects[sequence] = $"table inet {name}";
            Message(writer, NewTable, (ushort)(FlagRequest | FlagCreate), sequence++)
                .String(TableName, name).U32(TableFlags, 0).Bytes(TableUserData, Comment(table.Comment)).End();
            count++;
            uint setId = 1;
            var setIds = new Dictionary<string, uint>(StringComparer.Ordinal);
            foreach (var set in table.Sets)
            {
                setIds[set.Name] = setId;
                objects[sequence] = $"set {set.Name}";
                Message(writer, NewSet, (ushort)(FlagRequest | FlagCreate), sequence++)
                    .String(SetTable, name).String(SetName, set.Name).U32(SetFlags, SetFlagInterval)
                    .U32(SetKeyType, (uint)set.KeyType).U32(SetKeyLength, (uint)set.KeyLength).U32(SetId, setId++).End();
                count++;
                count += WriteElements(writer, name, set, objects, ref sequence);
            }

            foreach (var chain in table.Chains)
            {
                objects[sequence] = $"chain {chain.Name}";
                Message(writer, NewChain, (ushort)(FlagRequest | FlagCreate), sequence++).String(ChainTable, name).String(ChainName, chain.Name);
                if (chain.Hook is { } hook)
                {
                    writer.BeginNest(ChainHook).U32(HookNumber, (uint)hook).U32(HookPriority, 0).EndNest()
                        .U32(ChainPolicy, VerdictAccept).String(ChainType, "filter");
                }

                writer.End();
                count++;
            }

            foreach (var chain in table.Chains)
            {
                for (var i = 0; i < chain.Rules.Length; i++)
                {
                    var rule = chain.Rules[i];
                    objects[sequence] = $"chain {chain.Name} rule {i}{(rule.Comment is null ? "" : $" ({rule.Comment})")}";
                    Message(writer, NewRule, (ushort)(FlagRequest | FlagCreate | FlagAppend), sequence++).String(RuleTable, name).String(RuleChain, chain.Name);
                    NftExpressionEncoder.Write(writer, rule, setIds);
                    if (rule.Comment is not null)
                    {
                        writer.Bytes(RuleUserData, Comment(rule.Comment));
                    }

                    writer.End();
                    count++;
                }
            }
        }

        writer.Begin(BatchEnd, FlagRequest, sequence, FamilyUnspec, Subsystem >> 8).End();
        return new EncodedBatch(writer.ToArray(), begin, objects.ToImmutable(), count + 1);
    }

    /// <summary>Userdata with the comment TLV: type 0, length, text and its NUL.</summary>
    public static byte[] Comment(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text) + 1;
        if (count > byte.MaxValue)
        {
            throw new ArgumentException($"comment \"{text}\" is longer than a userdata TLV holds", nameof(text));
        }

        var bytes = new byte[count + 2];
        bytes[1] = (byte)count;
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(2));
        return bytes;
    }

    /// <summary>Interval elements: a start per range and an exclusive end flagged INTERVAL_END (none at the top of the key space), split across messages.</summary>
    private static int WriteElements(NfMessageWriter writer, string table, NftSet set, ImmutableDictionary<uint, string>.Builder objects, ref uint sequence)
    {
        var messages = 0;
        var index = 0;
        Span<byte> key = stackalloc byte[16];
        while (index < set.Elements.Length)
        {
            objects[sequence] = $"set {set.Name} elements from {index}";
            Message(writer, NewSetElem, (ushort)(FlagRequest | FlagCreate), sequence++).String(ElemListTable, table).String(ElemListSet, set.Name)
                .BeginNest(ElemListElements);
            var number = (ushort)1;
            while (index < set.Elements.Length && writer.CurrentNestLength < MaxElementNestBytes - 64)
            {
                var element = set.Elements[index++];
                Key(key, element.First, set.KeyLength);
                writer.BeginNest(number++).Data(ElemKey, key[..set.KeyLength]).EndNest();
                if (element.Last != set.MaxKey)
                {
                    Key(key, element.Last + 1, set.KeyLength);
                    writer.BeginNest(number++).Data(ElemKey, key[..set.KeyLength]).U32(ElemFlags, ElemIntervalEnd).EndNest();
                }
            }

            writer.EndNest().End();
            messages++;
        }

        return messages;
    }

    internal static void Key(Span<byte> into, UInt128 value, int length)
    {
        switch (length)
        {
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(into, (ushort)value);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(into, (uint)value);
                break;
            default:
                BinaryPrimitives.WriteUInt128BigEndian(into, value);
                break;
        }
    }

    private static NfMessageWriter Message(NfMessageWriter writer, ushort type, ushort flags, uint sequence) =>
        writer.Begin(type, flags, sequence, FamilyInet);
}
