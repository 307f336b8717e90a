using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mnp.Native.Iptables;

/// <summary>
/// The no-op check of a sync over the kernel's own copy of a table (<see cref="TableBlob"/>): true only when what we
/// own is exactly the encoded model by the rules <see cref="KernelScan"/> applies (our chains byte-equal to
/// the encoder's entries, comefrom and counters aside, their targets resolved to names; our jumps exactly the head
/// of each built-in chain, in model order; no chain of ours missing or extra). False means "not shown to hold": a
/// layout it does not expect, a target it cannot name, or any difference; the caller then runs the libiptc
/// transaction, which decides and repairs. So this check can make a sync cheaper, never make it miss drift.
/// </summary>
internal static class TableBlobScan
{
    private readonly record struct Chain(string? Name, bool IsBuiltin, int First, int End);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Holds(TableBlob blob, EncodedTable prepared)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(prepared);
        var layout = EntryLayout.For(prepared.Desired.Family);
        var entries = blob.Entries;
        var offsets = new List<int>(256);
        var chains = new List<Chain>(8);
        var jumpTargets = new Dictionary<int, string?>();
        return Chains(blob, layout, entries, offsets, chains, jumpTargets) && Compare(layout, entries, offsets, chains, jumpTargets, prepared);
    }

    /// <summary>
    /// Splits the entries into chains: a built-in chain from its hook's entry up to its policy entry (the underflow),
    /// a user chain after its head (an ERROR entry naming it) up to its footer (a bare RETURN); the last entry is the
    /// table's ERROR. Entries are scrubbed in place on the way. Records where each user chain's first rule sits: a
    /// jump's verdict is that offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Chains(TableBlob blob, EntryLayout layout, Span<byte> entries, List<int> offsets, List<Chain> chains, Dictionary<int, string?> jumpTargets)
    {
        string? name = null;
        var builtin = false;
        var open = false;
        var first = 0;
        var underflow = -1;
        for (var offset = 0; offset < entries.Length;)
        {
            if (offset + layout.Size > entries.Length)
            {
                return false;
            }

            var next = BinaryPrimitives.ReadUInt16LittleEndian(entries[(offset + layout.NextOffset)..]);
            var targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(entries[(offset + layout.TargetOffset)..]);
            if (targetOffset < layout.Size || targetOffset + XtLayout.HeaderSize > next || offset + next > entries.Length
                || targetOffset + BinaryPrimitives.ReadUInt16LittleEndian(entries[(offset + targetOffset)..]) > next)
            {
                return false;
            }

            var entry = entries.Slice(offset, next);
            EntryScrubber.ScrubInPlace(layout, entry);
            var hook = HookAt(blob, offset);
            var isHead = hook < 0 && TargetName(entry, targetOffset).SequenceEqual(TableBlobLayout.ErrorTarget);
            if (hook >= 0 || isHead)
            {
                if (open && !Close(layout, entries, offsets, chains, name, builtin, first, underflow))
                {
                    return false;
                }

                if (isHead && offset + next == entries.Length)
                {
                    return true; // the table's end
                }

                open = true;
                builtin = hook >= 0;
                if (builtin)
                {
                    name = TableBlobLayout.HookChain(hook);
                    underflow = blob.Underflow[hook];
                    first = offsets.Count;
                    offsets.Add(offset);
                }
                else
                {
                    name = ChainName(entry[(targetOffset + TableBlobLayout.ErrorNameOffset)..]);
                    underflow = -1;
                    first = offsets.Count;
                    jumpTargets[offset + next] = name;
                }
            }
            else if (!open)
            {
                return false;
            }
            else
            {
                offsets.Add(offset);
            }

            offset += next;
        }

        return false; // no final ERROR entry
    }

    /// <summary>Ends a chain: a built-in one must have reached its policy entry, a user one must end in a bare RETURN; neither is a rule.</summary>
    private static bool Close(EntryLayout layout, Span<byte> entries, List<int> offsets, List<Chain> chains, string? name, bool builtin, int first, int underflow)
    {
        if (offsets.Count == first)
        {
            return false;
        }

        var last = offsets[^1];
        if (builtin ? last != underflow : !IsBareReturn(layout, entries[last..]))
        {
            return false;
        }

        offsets.RemoveAt(offsets.Count - 1);
        chains.Add(new Chain(name, builtin, first, offsets.Count));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Compare(EntryLayout layout, Span<byte> entries, List<int> offsets, List<Chain> chains, Dictionary<int, string?> jumpTargets, EncodedTable prepared)
    {
        var (desired, encoded) = prepared;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            var wanted = Wanted(desired, chain.Name);
            var ours = wanted is null ? default : encoded[wanted.Name];
            if (chain.IsBuiltin)
            {
                var expected = wanted?.Rules.Length ?? 0;
                var jumps = 0;
                for (var i = chain.First; i < chain.End; i++)
                {
                    if (!Target(entries, layout, offsets[i], jumpTargets, out var target))
                    {
                        return false;
                    }

                    jumps += target is not null && ChainNames.IsOwned(target) ? 1 : 0;
                    var index = i - chain.First;
                    if (index < expected && !Same(entries, layout, offsets[i], target, wanted!.Rules[index], ours[index]))
                    {
                        return false;
                    }
                }

                if (jumps != expected || !seen.Add(chain.Name!))
                {
                    return false;
                }
            }
            else if (chain.Name is not null && ChainNames.IsOwned(chain.Name))
            {
                if (wanted is null || !seen.Add(chain.Name) || chain.End - chain.First != wanted.Rules.Length)
                {
                    return false;
                }

                for (var i = chain.First; i < chain.End; i++)
                {
                    if (!Target(entries, layout, offsets[i], jumpTargets, out var target)
                        || !Same(entries, layout, offsets[i], target, wanted.Rules[i - chain.First], ours[i - chain.First]))
                    {
                        return false;
                    }
                }
            }
        }

        // Every chain we want was seen (built-in ones with rules of ours included), and no other of ours exists.
        return desired.Chains.All(c => (c.IsBuiltin && c.Rules.IsEmpty) || seen.Contains(c.Name));
    }

    private static NetfilterChain? Wanted(NetfilterTable desired, string? name)
    {
        foreach (var chain in desired.Chains)
        {
            if (chain.Name == name)
            {
                return chain;
            }
        }

        return null;
    }

    private static bool Same(Span<byte> entries, EntryLayout layout, int offset, string? target, NetfilterRule desired, byte[] ours)
    {
        var next = BinaryPrimitives.ReadUInt16LittleEndian(entries[(offset + layout.NextOffset)..]);
        return target == desired.Target.Name && RawComparer.SameEntry(layout, entries.Slice(offset, next), ours);
    }

    /// <summary>
    /// The entry's target as libiptc names it: a verdict, the chain a jump lands in (null for a chain not ours), or an
    /// extension's name. False when it cannot be named: a jump to no chain's start, a malformed standard target, or an
    /// extension named like our chains (libiptc would count it as our jump; the libiptc path decides then).
    /// </summary>
    private static bool Target(Span<byte> entries, EntryLayout layout, int offset, Dictionary<int, string?> jumpTargets, out string? name)
    {
        var entry = entries[offset..];
        var targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.TargetOffset..]);
        var extension = TargetName(entry, targetOffset);
        name = null;
        if (!extension.IsEmpty)
        {
            name = ChainNames.IsOwned(extension) ? null : Encoding.UTF8.GetString(extension);
            return name is not null;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(entry[targetOffset..]) != XtLayout.StandardTargetSize)
        {
            return false;
        }

        var verdict = BinaryPrimitives.ReadInt32LittleEndian(entry[(targetOffset + XtLayout.VerdictOffset)..]);
        switch (verdict)
        {
            case XtLayout.VerdictAccept:
                name = "ACCEPT";
                return true;
            case XtLayout.VerdictDrop:
                name = "DROP";
                return true;
            case XtLayout.VerdictReturn:
                name = "RETURN";
                return true;
            case >= 0:
                return jumpTargets.TryGetValue(verdict, out name);
            default:
                name = "";
                return true; // another verdict (QUEUE): not ours, and equal to no target we write
        }
    }

    private static bool IsBareReturn(EntryLayout layout, Span<byte> entry)
    {
        var targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.TargetOffset..]);
        return targetOffset == layout.Size
            && TargetName(entry, targetOffset).IsEmpty
            && BinaryPrimitives.ReadUInt16LittleEndian(entry[targetOffset..]) == XtLayout.StandardTargetSize
            && BinaryPrimitives.ReadInt32LittleEndian(entry[(targetOffset + XtLayout.VerdictOffset)..]) == XtLayout.VerdictReturn;
    }

    private static int HookAt(TableBlob blob, int offset)
    {
        for (var hook = 0; hook < TableBlobLayout.Hooks; hook++)
        {
            if (blob.HasHook(hook) && blob.HookEntry[hook] == offset)
            {
                return hook;
            }
        }

        return -1;
    }

    private static ReadOnlySpan<byte> TargetName(ReadOnlySpan<byte> entry, int targetOffset)
    {
        var field = entry.Slice(targetOffset + XtLayout.NameOffset, XtLayout.NameLength);
        var end = field.IndexOf((byte)0);
        return end < 0 ? field : field[..end];
    }

    /// <summary>A user chain's name; only ours are kept as strings (the others are never compared by name).</summary>
    private static string? ChainName(ReadOnlySpan<byte> field)
    {
        field = field[..Math.Min(field.Length, TableBlobLayout.ErrorNameLength)]; // a short ERROR target holds less
        var end = field.IndexOf((byte)0);
        var name = end < 0 ? field : field[..end];
        return ChainNames.IsOwned(name) ? Encoding.UTF8.GetString(name) : null;
    }
}
