using System.Buffers.Binary;
using System.Text;
using Mnp.Policy.Nftables;
using static Mnp.Native.Nftables.NftNetlink;

namespace Mnp.Native.Nftables;

/// <summary>
/// Encodes our match shapes as the expressions nft 1.0.6 emits for the same text (docs/native.md §16), dependencies
/// included: the kernel checks none, so <c>meta nfproto</c> precedes every <c>ip</c>/<c>ip6</c> field and
/// <c>meta l4proto</c> every port or ICMPv6 field.
/// </summary>
internal static class NftExpressionEncoder
{
    public const int InterfaceNameBytes = 16;

    /// <summary>Writes the expression list; <paramref name="setIds"/> gives the batch id of each set created in the same batch.</summary>
    public static void Write(NfMessageWriter writer, NftRule rule, IReadOnlyDictionary<string, uint> setIds)
    {
        writer.BeginNest(RuleExpressions);
        foreach (var match in rule.Matches)
        {
            WriteMatch(writer, match, setIds);
        }

        Immediate(writer, rule.Verdict);
        writer.EndNest();
    }

    private static void WriteMatch(NfMessageWriter writer, NftMatch match, IReadOnlyDictionary<string, uint> setIds)
    {
        switch (match.Kind)
        {
            case NftMatchKind.InInterface:
            case NftMatchKind.OutInterface:
                Meta(writer, match.Kind == NftMatchKind.InInterface ? MetaIifName : MetaOifName);
                Cmp(writer, CmpEq, InterfaceName(match.Name!));
                break;
            case NftMatchKind.CtEstablishedRelated:
                Begin(writer, "ct").U32(CtKey, CtKeyState).U32(CtDreg, Register1);
                EndExpression(writer);
                Begin(writer, "bitwise").U32(BitwiseSreg, Register1).U32(BitwiseDreg, Register1).U32(BitwiseLength, 4)
                    .Data(BitwiseMask, [6, 0, 0, 0]).Data(BitwiseXor, [0, 0, 0, 0]); // ct state bits are host order
                EndExpression(writer);
                Cmp(writer, CmpNeq, [0, 0, 0, 0]);
                break;
            case NftMatchKind.SourceInSet:
            case NftMatchKind.DestinationInSet:
                var v4 = match.Family == IpFamily.V4;
                NfProto(writer, v4 ? NfProtoIpv4 : NfProtoIpv6);
                var source = match.Kind == NftMatchKind.SourceInSet;
                Payload(writer, BaseNetwork, v4 ? (source ? 12u : 16u) : (source ? 8u : 24u), v4 ? 4u : 16u);
                Lookup(writer, match.Name!, setIds);
                break;
            case NftMatchKind.SourceIs:
            case NftMatchKind.DestinationIs:
                var address = match.Address!.GetAddressBytes();
                var four = address.Length == 4;
                NfProto(writer, four ? NfProtoIpv4 : NfProtoIpv6);
                var from = match.Kind == NftMatchKind.SourceIs;
                Payload(writer, BaseNetwork, four ? (from ? 12u : 16u) : (from ? 8u : 24u), (uint)address.Length);
                Cmp(writer, CmpEq, address);
                break;
            case NftMatchKind.IpProtocol:
                NfProto(writer, NfProtoIpv4);
                Payload(writer, BaseNetwork, 9, 1);
                Cmp(writer, CmpEq, [(byte)match.Protocol]);
                break;
            case NftMatchKind.L4Proto:
                L4Proto(writer, (byte)match.Protocol);
                break;
            case NftMatchKind.DestinationPort:
                L4Proto(writer, (byte)match.Protocol);
                Payload(writer, BaseTransport, 2, 2);
                Cmp(writer, CmpEq, Port(match.From));
                break;
            case NftMatchKind.DestinationPortRange:
                L4Proto(writer, (byte)match.Protocol);
                Payload(writer, BaseTransport, 2, 2);
                Cmp(writer, CmpGte, Port(match.From));
                Cmp(writer, CmpLte, Port(match.To));
                break;
            case NftMatchKind.DestinationPortInSet:
                L4Proto(writer, (byte)match.Protocol);
                Payload(writer, BaseTransport, 2, 2);
                Lookup(writer, match.Name!, setIds);
                break;
            case NftMatchKind.DestinationTupleInSet or NftMatchKind.SourceTupleInSet:
                var v4Tuple = match.Family == IpFamily.V4;
                var sourceTuple = match.Kind == NftMatchKind.SourceTupleInSet;
                NfProto(writer, v4Tuple ? NfProtoIpv4 : NfProtoIpv6);
                Payload(writer, BaseNetwork, v4Tuple ? (sourceTuple ? 12u : 16u) : (sourceTuple ? 8u : 24u), v4Tuple ? 4u : 16u);
                Meta(writer, MetaL4Proto, v4Tuple ? TupleProtocolRegister4 : TupleProtocolRegister6);
                Payload(writer, BaseTransport, 2, 2, v4Tuple ? TuplePortRegister4 : TuplePortRegister6);
                Lookup(writer, match.Name!, setIds);
                break;
            case NftMatchKind.Icmpv6TypeRange or NftMatchKind.IcmpTypeRange:
                var icmpv6 = match.Kind == NftMatchKind.Icmpv6TypeRange;
                NfProto(writer, icmpv6 ? NfProtoIpv6 : NfProtoIpv4);
                L4Proto(writer, icmpv6 ? (byte)58 : (byte)1);
                Payload(writer, BaseTransport, 0, 1);
                Cmp(writer, CmpGte, [(byte)match.From]);
                Cmp(writer, CmpLte, [(byte)match.To]);
                if (match.Codes is { } codes)
                {
                    // The code byte follows the type; nft writes no second protocol dependency for it.
                    Payload(writer, BaseTransport, 1, 1);
                    Cmp(writer, CmpGte, [(byte)codes.From]);
                    Cmp(writer, CmpLte, [(byte)codes.To]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(match), match.Kind, "unknown nftables match");
        }
    }

    /// <summary>An interface name as the 16-byte NUL-padded register value an exact <c>iifname</c> compares.</summary>
    public static byte[] InterfaceName(string name)
    {
        var bytes = new byte[InterfaceNameBytes];
        var count = Encoding.UTF8.GetBytes(name, bytes);
        return count < InterfaceNameBytes ? bytes : throw new ArgumentException($"interface name {name} is longer than 15 bytes", nameof(name));
    }

    private static byte[] Port(int port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)port);
        return bytes;
    }

    private static void NfProto(NfMessageWriter writer, byte family)
    {
        Meta(writer, MetaNfProto);
        Cmp(writer, CmpEq, [family]);
    }

    private static void L4Proto(NfMessageWriter writer, byte protocol)
    {
        Meta(writer, MetaL4Proto);
        Cmp(writer, CmpEq, [protocol]);
    }

    private static void Meta(NfMessageWriter writer, uint key, uint register = Register1)
    {
        Begin(writer, "meta").U32(MetaKey, key).U32(MetaDreg, register); // nft's attribute order, so our bytes equal its bytes
        EndExpression(writer);
    }

    private static void Cmp(NfMessageWriter writer, uint op, ReadOnlySpan<byte> value)
    {
        Begin(writer, "cmp").U32(CmpSreg, Register1).U32(CmpOp, op).Data(CmpData, value);
        EndExpression(writer);
    }

    private static void Payload(NfMessageWriter writer, uint payloadBase, uint offset, uint length, uint register = Register1)
    {
        Begin(writer, "payload").U32(PayloadDreg, register).U32(PayloadBase, payloadBase).U32(PayloadOffset, offset).U32(PayloadLength, length);
        EndExpression(writer);
    }

    private static void Lookup(NfMessageWriter writer, string set, IReadOnlyDictionary<string, uint> setIds)
    {
        Begin(writer, "lookup").U32(LookupSreg, Register1).String(LookupSet, set);
        if (setIds.TryGetValue(set, out var id))
        {
            writer.U32(LookupSetId, id);
        }

        EndExpression(writer);
    }

    private static void Immediate(NfMessageWriter writer, NftVerdict verdict)
    {
        Begin(writer, "immediate").U32(ImmediateDreg, 0).BeginNest(ImmediateData).BeginNest(DataVerdict);
        switch (verdict.Kind)
        {
            case NftVerdictKind.Accept:
                writer.U32(VerdictCode, VerdictAccept);
                break;
            case NftVerdictKind.Drop:
                writer.U32(VerdictCode, VerdictDrop);
                break;
            default:
                writer.U32(VerdictCode, VerdictJump).String(VerdictChain, verdict.Chain!);
                break;
        }

        writer.EndNest().EndNest();
        EndExpression(writer);
    }

    private static NfMessageWriter Begin(NfMessageWriter writer, string name) =>
        writer.BeginNest(ListElement).String(ExprName, name).BeginNest(ExprData);

    private static void EndExpression(NfMessageWriter writer) => writer.EndNest().EndNest();
}
