using System.Buffers.Binary;
using System.Text;
using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>
/// Lays a model out as the kernel hands a filter table to <c>SO_GET_ENTRIES</c> after libiptc committed it
/// (docs/native.md §7): INPUT, FORWARD and OUTPUT each as their rules and an ACCEPT policy entry, every user chain as
/// an ERROR head naming it, its rules and a bare RETURN footer, then the closing ERROR entry; standard targets carry
/// no name and a verdict, a jump the offset of its chain's first entry after the head.
/// </summary>
internal static class SyntheticTableBlob
{
    private const int ErrorTargetSize = 64; // XT_ALIGN(sizeof(struct xt_error_target))
    private static readonly string[] Builtins = ["INPUT", "FORWARD", "OUTPUT"];

    public static TableBlob Of(NetfilterTable model) => Of(model, []);

    /// <summary>The blob, and in <paramref name="rules"/> where each rule entry of the model starts (offsets into the entries).</summary>
    public static TableBlob Of(NetfilterTable model, List<int> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var layout = EntryLayout.For(model.Family);
        var user = model.Chains.Where(c => !c.IsBuiltin).ToList();
        var encoded = model.Chains.ToDictionary(c => c.Name, c => c.Rules.Select(r => RuleEncoder.Encode(model.Family, r)).ToList());
        var hooks = new int[TableBlobLayout.Hooks];
        var underflows = new int[TableBlobLayout.Hooks];
        var starts = new Dictionary<string, int>(StringComparer.Ordinal);

        // Offsets first: jumps may point forward.
        var offset = 0;
        foreach (var (name, hook) in Builtins.Select((n, i) => (n, i + 1)))
        {
            hooks[hook] = offset;
            offset += encoded.GetValueOrDefault(name)?.Sum(e => e.Length) ?? 0;
            underflows[hook] = offset;
            offset += layout.Size + XtLayout.StandardTargetSize;
        }

        foreach (var chain in user)
        {
            offset += layout.Size + ErrorTargetSize;
            starts[chain.Name] = offset;
            offset += encoded[chain.Name].Sum(e => e.Length) + layout.Size + XtLayout.StandardTargetSize;
        }

        var size = offset + layout.Size + ErrorTargetSize;
        var buffer = new byte[TableBlobLayout.EntriesHeaderSize + size];
        var entries = buffer.AsSpan(TableBlobLayout.EntriesHeaderSize);
        offset = 0;
        foreach (var name in Builtins)
        {
            var chain = model.Chains.FirstOrDefault(c => c.Name == name);
            offset = Rules(entries, offset, layout, chain, encoded, starts, rules);
            offset = Standard(entries, offset, layout, XtLayout.VerdictAccept);
        }

        foreach (var chain in user)
        {
            offset = Error(entries, offset, layout, chain.Name);
            offset = Rules(entries, offset, layout, chain, encoded, starts, rules);
            offset = Standard(entries, offset, layout, XtLayout.VerdictReturn);
        }

        Error(entries, offset, layout, "ERROR");
        return new TableBlob(buffer, size, (1u << 1) | (1u << 2) | (1u << 3), hooks, underflows);
    }

    private static int Rules(Span<byte> entries, int offset, EntryLayout layout, NetfilterChain? chain, Dictionary<string, List<byte[]>> encoded, Dictionary<string, int> starts, List<int> rules)
    {
        for (var i = 0; i < (chain?.Rules.Length ?? 0); i++)
        {
            rules.Add(offset);
            var entry = encoded[chain!.Name][i];
            entry.CopyTo(entries[offset..]);
            var target = offset + BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(layout.TargetOffset));
            entries.Slice(target + XtLayout.NameOffset, XtLayout.NameLength).Clear();
            BinaryPrimitives.WriteInt32LittleEndian(entries[(target + XtLayout.VerdictOffset)..], chain.Rules[i].Target.Kind switch
            {
                RuleTargetKind.Accept => XtLayout.VerdictAccept,
                RuleTargetKind.Drop => XtLayout.VerdictDrop,
                RuleTargetKind.Return => XtLayout.VerdictReturn,
                _ => starts[chain.Rules[i].Target.Chain!],
            });
            offset += entry.Length;
        }

        return offset;
    }

    private static int Standard(Span<byte> entries, int offset, EntryLayout layout, int verdict)
    {
        Header(entries, offset, layout, XtLayout.StandardTargetSize);
        BinaryPrimitives.WriteInt32LittleEndian(entries[(offset + layout.Size + XtLayout.VerdictOffset)..], verdict);
        return offset + layout.Size + XtLayout.StandardTargetSize;
    }

    private static int Error(Span<byte> entries, int offset, EntryLayout layout, string name)
    {
        Header(entries, offset, layout, ErrorTargetSize);
        "ERROR"u8.CopyTo(entries[(offset + layout.Size + XtLayout.NameOffset)..]);
        Encoding.UTF8.GetBytes(name).CopyTo(entries[(offset + layout.Size + TableBlobLayout.ErrorNameOffset)..]);
        return offset + layout.Size + ErrorTargetSize;
    }

    private static void Header(Span<byte> entries, int offset, EntryLayout layout, int targetSize)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(entries[(offset + layout.TargetOffset)..], (ushort)layout.Size);
        BinaryPrimitives.WriteUInt16LittleEndian(entries[(offset + layout.NextOffset)..], (ushort)(layout.Size + targetSize));
        BinaryPrimitives.WriteUInt16LittleEndian(entries[(offset + layout.Size)..], (ushort)targetSize);
    }
}
