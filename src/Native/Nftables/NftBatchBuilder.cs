using System.Buffers.Binary;
using Mnp.Policy.Nftables;
using static Mnp.Native.Nftables.NftNetlink;

namespace Mnp.Native.Nftables;

/// <summary>
/// Writes the messages of one nf_tables batch for our table, numbering them and recording what each sequence number
/// stands for (so a per-message error names its object). Every object message is family inet and names our table;
/// nothing else can be addressed. Sets created in the batch get a batch id, which their lookups then carry.
/// </summary>
internal sealed class NftBatchBuilder
{
    private readonly NfMessageWriter _writer;
    private readonly ImmutableDictionary<uint, string>.Builder _objects = ImmutableDictionary.CreateBuilder<uint, string>();
    private readonly Dictionary<string, uint> _setIds = new(StringComparer.Ordinal);
    private readonly uint _begin;
    private readonly string _table;
    private uint _sequence;
    private uint _nextSetId = 1;
    private int _count;

    public NftBatchBuilder(string table, uint generation, uint firstSequence, int capacity)
    {
        _table = table;
        _writer = new NfMessageWriter(capacity);
        _sequence = firstSequence;
        _begin = _sequence;
        _writer.Begin(BatchBegin, FlagRequest, _sequence++, FamilyUnspec, Subsystem >> 8).U32(BatchGenId, generation).End();
        _count = 1;
    }

    /// <summary>NEWTABLE without flags: creates the table when missing, changes nothing when present.</summary>
    public void EnsureTable() => Message(NewTable, FlagRequest, $"table inet {_table} (ensure)").String(TableName, _table).End();

    public void DeleteTable() => Message(DelTable, FlagRequest, $"table inet {_table} (delete)").String(TableName, _table).End();

    public void CreateTable(string comment) => Message(NewTable, (ushort)(FlagRequest | FlagCreate), $"table inet {_table}")
        .String(TableName, _table).U32(TableFlags, 0).Bytes(TableUserData, NftBatchEncoder.Comment(comment)).End();

    /// <summary>NEWSET (an interval set of one field, or a hash set of a concatenation) and its elements.</summary>
    public void CreateSet(NftSet set)
    {
        var id = _nextSetId++;
        _setIds[set.Name] = id;
        Message(NewSet, (ushort)(FlagRequest | FlagCreate), $"set {set.Name}")
            .String(SetTable, _table).String(SetName, set.Name).U32(SetFlags, set.IsConcatenation ? 0 : SetFlagInterval)
            .U32(SetKeyType, (uint)set.KeyType).U32(SetKeyLength, (uint)set.KeyLength).U32(SetId, id).End();
        if (set.IsConcatenation)
        {
            Tuples(set, set.Tuples, add: true);
        }
        else
        {
            Elements(set, set.Elements, add: true);
        }
    }

    /// <summary>Exact elements of a concatenation: address, protocol and port, each padded to 4 bytes.</summary>
    public void Tuples(NftSet set, IReadOnlyList<NftConcatKey> tuples, bool add)
    {
        var index = 0;
        Span<byte> key = stackalloc byte[24];
        while (index < tuples.Count)
        {
            Message(add ? NewSetElem : DelSetElem, add ? (ushort)(FlagRequest | FlagCreate) : FlagRequest, $"set {set.Name} elements from {index}{(add ? "" : " (delete)")}")
                .String(ElemListTable, _table).String(ElemListSet, set.Name).BeginNest(ElemListElements);
            var number = (ushort)1;
            while (index < tuples.Count && _writer.CurrentNestLength < MaxElementNestBytes - 64)
            {
                var tuple = tuples[index++];
                key.Clear();
                Key(key, tuple.Address, set.AddressLength);
                key[set.AddressLength] = tuple.Protocol;
                BinaryPrimitives.WriteUInt16BigEndian(key[(set.AddressLength + 4)..], tuple.Port);
                _writer.BeginNest(number++).Data(ElemKey, key[..set.KeyLength]).EndNest();
            }

            _writer.EndNest().End();
        }
    }

    public void DeleteSet(string name) => Message(DelSet, FlagRequest, $"set {name} (delete)").String(SetTable, _table).String(SetName, name).End();

    /// <summary>DELSETELEM naming the set and no element: empties it (the set, and every lookup bound to it, stay).</summary>
    public void FlushSet(string name) => Message(DelSetElem, FlagRequest, $"set {name} (flush)").String(ElemListTable, _table).String(ElemListSet, name).End();

    /// <summary>
    /// Interval elements of <paramref name="set"/>'s key: a start per range and an exclusive end flagged INTERVAL_END
    /// (none at the top of the key space), split across messages so that no nest passes the 16-bit length.
    /// A delete names exactly the start and end elements the kernel holds for each range.
    /// </summary>
    public void Elements(NftSet set, IReadOnlyList<NftInterval> ranges, bool add)
    {
        var index = 0;
        Span<byte> key = stackalloc byte[16];
        while (index < ranges.Count)
        {
            var type = add ? NewSetElem : DelSetElem;
            var flags = add ? (ushort)(FlagRequest | FlagCreate) : FlagRequest;
            Message(type, flags, $"set {set.Name} elements from {index}{(add ? "" : " (delete)")}")
                .String(ElemListTable, _table).String(ElemListSet, set.Name).BeginNest(ElemListElements);
            var number = (ushort)1;
            while (index < ranges.Count && _writer.CurrentNestLength < MaxElementNestBytes - 64)
            {
                var element = ranges[index++];
                Key(key, element.First, set.KeyLength);
                _writer.BeginNest(number++).Data(ElemKey, key[..set.KeyLength]).EndNest();
                if (element.Last != set.MaxKey)
                {
                    Key(key, element.Last + 1, set.KeyLength);
                    _writer.BeginNest(number++).Data(ElemKey, key[..set.KeyLength]).U32(ElemFlags, ElemIntervalEnd).EndNest();
                }
            }

            _writer.EndNest().End();
        }
    }

    public void CreateChain(NftChain chain)
    {
        Message(NewChain, (ushort)(FlagRequest | FlagCreate), $"chain {chain.Name}").String(ChainTable, _table).String(ChainName, chain.Name);
        if (chain.Hook is { } hook)
        {
            _writer.BeginNest(ChainHook).U32(HookNumber, (uint)hook).U32(HookPriority, 0).EndNest()
                .U32(ChainPolicy, VerdictAccept).String(ChainType, "filter");
        }

        _writer.End();
    }

    /// <summary>DELRULE naming the chain: removes every rule of that chain (the chain stays).</summary>
    public void FlushChain(string name) => Message(DelRule, FlagRequest, $"chain {name} (flush)").String(RuleTable, _table).String(RuleChain, name).End();

    public void DeleteChain(string name) => Message(DelChain, FlagRequest, $"chain {name} (delete)").String(ChainTable, _table).String(ChainName, name).End();

    /// <summary>Appends every rule of <paramref name="chain"/>, in order.</summary>
    public void AppendRules(NftChain chain)
    {
        for (var i = 0; i < chain.Rules.Length; i++)
        {
            var rule = chain.Rules[i];
            Message(NewRule, (ushort)(FlagRequest | FlagCreate | FlagAppend), $"chain {chain.Name} rule {i}{(rule.Comment is null ? "" : $" ({rule.Comment})")}")
                .String(RuleTable, _table).String(RuleChain, chain.Name);
            NftExpressionEncoder.Write(_writer, rule, _setIds);
            if (rule.Comment is not null)
            {
                _writer.Bytes(RuleUserData, NftBatchEncoder.Comment(rule.Comment));
            }

            _writer.End();
        }
    }

    public EncodedBatch Finish()
    {
        _writer.Begin(BatchEnd, FlagRequest, _sequence, FamilyUnspec, Subsystem >> 8).End();
        return new EncodedBatch(_writer.ToArray(), _begin, _objects.ToImmutable(), _count + 1);
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

    private NfMessageWriter Message(ushort type, ushort flags, string what)
    {
        _objects[_sequence] = what;
        _count++;
        return _writer.Begin(type, flags, _sequence++, FamilyInet);
    }
}
