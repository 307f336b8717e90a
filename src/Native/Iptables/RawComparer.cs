namespace Mnp.Native.Iptables;

/// <summary>
/// Decides "the kernel already holds exactly the desired rules" on raw bytes, without decoding: our entries
/// are byte-equal to the kernel's copy except for the fields the kernel or libiptc own (comefrom, counters,
/// the target, which becomes a verdict or a jump offset; its name is compared instead).
/// </summary>
internal static class RawComparer
{
    public static bool Holds(EntryLayout layout, ImmutableArray<RawChain> kernel, NetfilterTable desired, Dictionary<string, ImmutableArray<byte[]>> encoded)
    {
        var wanted = desired.Chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var ownedSeen = 0;
        foreach (var chain in kernel)
        {
            if (chain.IsBuiltin)
            {
                if (!BuiltinHolds(layout, chain, wanted.GetValueOrDefault(chain.Name), encoded))
                {
                    return false;
                }
            }
            else if (chain.IsOwned)
            {
                if (!wanted.TryGetValue(chain.Name, out var desiredChain) || !RulesEqual(layout, chain.Rules, desiredChain, encoded[chain.Name]))
                {
                    return false;
                }

                ownedSeen++;
            }
        }

        return ownedSeen == desired.Chains.Count(c => !c.IsBuiltin);
    }

    /// <summary>Our jumps must be exactly the head of the chain, in model order; whatever follows is foreign.</summary>
    private static bool BuiltinHolds(EntryLayout layout, RawChain chain, NetfilterChain? desired, Dictionary<string, ImmutableArray<byte[]>> encoded)
    {
        var ours = chain.Rules.Count(r => ChainNames.IsOwned(r.Target));
        var expected = desired?.Rules.Length ?? 0;
        if (ours != expected)
        {
            return false;
        }

        return expected == 0 || RulesEqual(layout, chain.Rules[..expected], desired!, encoded[desired!.Name]);
    }

    private static bool RulesEqual(EntryLayout layout, ImmutableArray<(byte[] Entry, string Target)> kernel, NetfilterChain desired, ImmutableArray<byte[]> entries)
    {
        if (kernel.Length != entries.Length)
        {
            return false;
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            if (kernel[i].Target != desired.Rules[i].Target.Name || !SameEntry(layout, kernel[i].Entry, entries[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameEntry(EntryLayout layout, ReadOnlySpan<byte> kernel, ReadOnlySpan<byte> ours)
    {
        if (kernel.Length != ours.Length)
        {
            return false;
        }

        var targetOffset = ours.Length - XtLayout.StandardTargetSize;
        return kernel[..layout.Comefrom].SequenceEqual(ours[..layout.Comefrom])
            && kernel[layout.Size..targetOffset].SequenceEqual(ours[layout.Size..targetOffset]);
    }
}
