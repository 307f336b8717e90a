using System.Buffers.Binary;
using Mnp.Policy.Nftables;
using static Mnp.Native.Nftables.NftNetlink;

namespace Mnp.Native.Nftables;

/// <summary>
/// Decodes a rule's expression list back into our match shapes, the inverse of <see cref="NftExpressionEncoder"/>.
/// Counters are ignored (their values live); anything that is not one of our shapes returns null with the reason,
/// which the reader reports as drift.
/// </summary>
internal static class NftRuleDecoder
{
    public static NftRule? Decode(List<(ushort Type, ReadOnlyMemory<byte> Value)> rule, out string? problem)
    {
        problem = null;
        var expressions = new List<(string Name, List<(ushort Type, ReadOnlyMemory<byte> Value)> Data)>();
        if (NfAttributes.Find(rule, RuleExpressions) is { } list)
        {
            foreach (var (_, element) in NfAttributes.Parse(list))
            {
                var attributes = NfAttributes.Parse(element);
                var name = NfAttributes.String(attributes, ExprName) ?? "";
                if (name == "counter")
                {
                    continue;
                }

                var data = NfAttributes.Find(attributes, ExprData) is { } nest ? NfAttributes.Parse(nest) : [];
                expressions.Add((name, data));
            }
        }

        var comment = NfAttributes.Find(rule, RuleUserData) is { } userData ? NfAttributes.Comment(userData.Span) : null;
        var matches = ImmutableArray.CreateBuilder<NftMatch>();
        var at = 0;
        while (at < expressions.Count - 1)
        {
            var match = Match(expressions, ref at);
            if (match is null)
            {
                problem = $"expression {at} ({expressions[at].Name}) is not one of our match shapes";
                return null;
            }

            matches.Add(match);
        }

        if (at != expressions.Count - 1 || Verdict(expressions[at]) is not { } verdict)
        {
            problem = "the rule does not end in one accept, drop or jump";
            return null;
        }

        return new NftRule(matches.ToImmutable(), verdict, comment);
    }

    private static NftMatch? Match(List<(string Name, List<(ushort Type, ReadOnlyMemory<byte> Value)> Data)> e, ref int at)
    {
        var start = at;
        if (Meta(e, at) is { } key)
        {
            switch (key)
            {
                case MetaIifName or MetaOifName when Cmp(e, at + 1, CmpEq) is { Length: NftExpressionEncoder.InterfaceNameBytes } name:
                    at += 2;
                    var text = NfAttributes.Text(name.Span);
                    return key == MetaIifName ? NftMatch.InInterface(text) : NftMatch.OutInterface(text);
                case MetaNfProto when Cmp(e, at + 1, CmpEq) is { Length: 1 } family && family.Span[0] is NfProtoIpv4 or NfProtoIpv6:
                    at += 2;
                    var v4 = family.Span[0] == NfProtoIpv4;
                    if (Payload(e, at) is var (payloadBase, offset, length) && payloadBase == BaseNetwork)
                    {
                        var tupleSource = offset == (v4 ? 12u : 8u);
                        if (length == (v4 ? 4u : 16u) && (tupleSource || offset == (v4 ? 16u : 24u)) && Meta(e, at + 1, v4 ? TupleProtocolRegister4 : TupleProtocolRegister6) == MetaL4Proto
                            && Payload(e, at + 2, v4 ? TuplePortRegister4 : TuplePortRegister6) == (BaseTransport, 2u, 2u) && Lookup(e, at + 3) is { } tuples)
                        {
                            at += 4;
                            var tupleFamily = v4 ? IpFamily.V4 : IpFamily.V6;
                            return tupleSource ? NftMatch.SourceTupleInSet(tupleFamily, tuples) : NftMatch.DestinationTupleInSet(tupleFamily, tuples);
                        }

                        if (Lookup(e, at + 1) is { } set && length == (v4 ? 4u : 16u))
                        {
                            at += 2;
                            var source = offset == (v4 ? 12u : 8u);
                            var destination = offset == (v4 ? 16u : 24u);
                            return source ? NftMatch.SourceInSet(v4 ? IpFamily.V4 : IpFamily.V6, set)
                                : destination ? NftMatch.DestinationInSet(v4 ? IpFamily.V4 : IpFamily.V6, set) : Reset(ref at, start);
                        }

                        if (Cmp(e, at + 1, CmpEq) is { } address && address.Length == (v4 ? 4 : 16) && length == address.Length)
                        {
                            at += 2;
                            var value = new IPAddress(address.Span);
                            return offset == (v4 ? 12u : 8u) ? NftMatch.SourceIs(value)
                                : offset == (v4 ? 16u : 24u) ? NftMatch.DestinationIs(value) : Reset(ref at, start);
                        }

                        if (v4 && offset == 9 && length == 1 && Cmp(e, at + 1, CmpEq) is { Length: 1 } protocol)
                        {
                            at += 2;
                            return NftMatch.IpProtocol(protocol.Span[0]);
                        }
                    }

                    if (Meta(e, at) == MetaL4Proto && Cmp(e, at + 1, CmpEq) is { Length: 1 } icmp && icmp.Span[0] == (v4 ? 1 : 58)
                        && Payload(e, at + 2) == (BaseTransport, 0u, 1u)
                        && Cmp(e, at + 3, CmpGte) is { Length: 1 } low && Cmp(e, at + 4, CmpLte) is { Length: 1 } high)
                    {
                        at += 5;
                        var types = v4 ? NftMatch.IcmpTypeRange(low.Span[0], high.Span[0]) : NftMatch.Icmpv6TypeRange(low.Span[0], high.Span[0]);
                        if (Payload(e, at) == (BaseTransport, 1u, 1u) && Cmp(e, at + 1, CmpGte) is { Length: 1 } lowCode && Cmp(e, at + 2, CmpLte) is { Length: 1 } highCode)
                        {
                            at += 3;
                            return types with { Codes = (lowCode.Span[0], highCode.Span[0]) };
                        }

                        return types;
                    }

                    return Reset(ref at, start);
                case MetaL4Proto when Cmp(e, at + 1, CmpEq) is { Length: 1 } l4:
                    at += 2;
                    var number = l4.Span[0];
                    if (Payload(e, at) != (BaseTransport, 2u, 2u))
                    {
                        return NftMatch.L4Proto(number);
                    }

                    if (Lookup(e, at + 1) is { } ports)
                    {
                        at += 2;
                        return NftMatch.DestinationPortInSet(number, ports);
                    }

                    if (Cmp(e, at + 1, CmpEq) is { Length: 2 } port)
                    {
                        at += 2;
                        return NftMatch.DestinationPort(number, BinaryPrimitives.ReadUInt16BigEndian(port.Span));
                    }

                    if (Cmp(e, at + 1, CmpGte) is { Length: 2 } from && Cmp(e, at + 2, CmpLte) is { Length: 2 } to)
                    {
                        at += 3;
                        return NftMatch.DestinationPortRange(number, BinaryPrimitives.ReadUInt16BigEndian(from.Span), BinaryPrimitives.ReadUInt16BigEndian(to.Span));
                    }

                    return Reset(ref at, start);
            }

            return null;
        }

        if (e[at].Name == "ct" && NfAttributes.U32(e[at].Data, CtKey) == CtKeyState && at + 2 < e.Count && e[at + 1].Name == "bitwise"
            && NfAttributes.DataValue(e[at + 1].Data, BitwiseMask) is { } mask && mask.Span.SequenceEqual((ReadOnlySpan<byte>)[6, 0, 0, 0])
            && NfAttributes.DataValue(e[at + 1].Data, BitwiseXor) is { } xor && xor.Span.SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 0])
            && Cmp(e, at + 2, CmpNeq) is { } zero && zero.Span.SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 0]))
        {
            at += 3;
            return NftMatch.CtEstablishedRelated;
        }

        return null;
    }

    private static NftMatch? Reset(ref int at, int start)
    {
        at = start;
        return null;
    }

    private static uint? Meta(List<(string Name, List<(ushort Type, ReadOnlyMemory<byte> Value)> Data)> e, int at, uint register = Register1) =>
        at < e.Count && e[at].Name == "meta" && NfAttributes.U32(e[at].Data, MetaDreg) == register ? NfAttributes.U32(e[at].Data, MetaKey) : null;

    private static ReadOnlyMemory<byte>? Cmp(List<(string Name, List<(ushort Type, ReadOnlyMemory<byte> Value)> Data)> e, int at, uint op) =>
        at < e.Count && e[at].Name == "cmp" && NfAttributes.U32(e[at].Data, CmpSreg) == Register1 && NfAttributes.U32(e[at].Data, CmpOp) == op
            ? NfAttributes.DataValue(e[at].Data, CmpData)
            : null;

    private static (uint Base, uint Offset, uint Length)? Payload(List<(string Name, List<(ushort Type, ReadOnlyMemory<byte> Value)> Data)> e, int at, uint register = Register1) =>
        at < e.Count && e[at].Name == "payload" && NfAttributes.U32(e[at].Data, PayloadDreg) == register
            && NfAttributes.U32(e[at].Data, PayloadBase) is { } payloadBase && NfAttributes.U32(e[at].Data, PayloadOffset) is { } offset
            && NfAttributes.U32(e[at].Data, PayloadLength) is { } length
            ? (payloadBase, offset, length)
            : null;

    private static string? Lookup(List<(string Name, List<(ushort Type, ReadOnlyMemory<byte> Value)> Data)> e, int at) =>
        at < e.Count && e[at].Name == "lookup" && NfAttributes.U32(e[at].Data, LookupSreg) == Register1 && (NfAttributes.U32(e[at].Data, LookupFlags) ?? 0) == 0
            ? NfAttributes.String(e[at].Data, LookupSet)
            : null;

    private static NftVerdict? Verdict((string Name, List<(ushort Type, ReadOnlyMemory<byte> Value)> Data) e)
    {
        if (e.Name != "immediate" || NfAttributes.U32(e.Data, ImmediateDreg) != 0 || NfAttributes.Find(e.Data, ImmediateData) is not { } data
            || NfAttributes.Find(NfAttributes.Parse(data), DataVerdict) is not { } verdict)
        {
            return null;
        }

        var attributes = NfAttributes.Parse(verdict);
        return NfAttributes.U32(attributes, VerdictCode) switch
        {
            VerdictAccept => NftVerdict.Accept,
            VerdictDrop => NftVerdict.Drop,
            VerdictJump when NfAttributes.String(attributes, VerdictChain) is { } chain => NftVerdict.JumpTo(chain),
            _ => null,
        };
    }
}
