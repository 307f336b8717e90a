using System.Text;
using Mnp.Policy.Nftables;

namespace Mnp.Native.Nftables;

/// <summary>
/// Encodes the one batch that makes our table equal to a model; the kernel applies it all or nothing, and packets
/// see the old table or the new one, never a mix. Two shapes (docs/native.md §15):
/// <list type="bullet">
/// <item><see cref="Replace"/>: [NEWTABLE, DELTABLE] (the any-kernel destroy), then NEWTABLE with the marker and
/// everything. For creation and repair; it unhooks and re-hooks the base chains, which costs the kernel an RCU grace
/// period (about 14 ms) inside the commit.</item>
/// <item><see cref="Update"/>: the table and its base chains stay hooked; only what differs is replaced: a changed
/// chain is flushed and refilled, a changed set loses the ranges that went and gains the new ones, vanished chains
/// and sets are deleted, new ones created.</item>
/// </list>
/// Base chains have policy accept, so neither shape leaks: only explicit drop rules enforce.
/// </summary>
internal static class NftBatchEncoder
{
    /// <summary>A batch replacing our table with <paramref name="table"/>, or only removing it when null.</summary>
    public static EncodedBatch Replace(NftTable? table, uint generation, uint firstSequence)
    {
        var batch = new NftBatchBuilder(table?.Name ?? NftTable.OwnedName, generation, firstSequence, table is null ? 256 : 64 * 1024);
        batch.EnsureTable();
        batch.DeleteTable();
        if (table is not null)
        {
            batch.CreateTable(table.Comment);
            foreach (var set in table.Sets)
            {
                batch.CreateSet(set);
            }

            foreach (var chain in table.Chains)
            {
                batch.CreateChain(chain);
            }

            foreach (var chain in table.Chains)
            {
                batch.AppendRules(chain);
            }
        }

        return batch.Finish();
    }

    /// <summary>
    /// A batch that brings <paramref name="current"/> (what the kernel holds, read under <paramref name="generation"/>)
    /// to <paramref name="desired"/> keeping the table and every chain and set both have; null when that cannot give
    /// exactly <paramref name="desired"/> (a chain changes hook, a set changes key type, or the kernel's creation order
    /// would differ from the model's), so the caller replaces instead. Order inside the batch: flush every chain that
    /// changes or goes (their jumps and lookups go with the rules), delete vanished chains and sets, change the kept
    /// sets' elements, create new sets and chains, then append the rules of every changed or new chain.
    /// </summary>
    public static EncodedBatch? Update(NftTable current, NftTable desired, uint generation, uint firstSequence)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        if (current.Name != desired.Name || current.Comment != desired.Comment)
        {
            return null;
        }

        var currentChains = current.Chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var desiredChains = desired.Chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var currentSets = current.Sets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var desiredSets = desired.Sets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (desired.Chains.Any(c => currentChains.TryGetValue(c.Name, out var held) && held.Hook != c.Hook)
            || desired.Sets.Any(s => currentSets.TryGetValue(s.Name, out var held) && held.KeyType != s.KeyType)
            || !KeepsOrder(current.Chains.Select(c => c.Name), desired.Chains.Select(c => c.Name), currentChains.ContainsKey, desiredChains.ContainsKey)
            || !KeepsOrder(current.Sets.Select(s => s.Name), desired.Sets.Select(s => s.Name), currentSets.ContainsKey, desiredSets.ContainsKey))
        {
            return null;
        }

        var batch = new NftBatchBuilder(desired.Name, generation, firstSequence, 64 * 1024);
        foreach (var chain in current.Chains)
        {
            var changed = !desiredChains.TryGetValue(chain.Name, out var wanted) || !wanted.Rules.SequenceEqual(chain.Rules);
            if (changed && chain.Rules.Length > 0)
            {
                batch.FlushChain(chain.Name);
            }
        }

        foreach (var chain in current.Chains.Where(c => !desiredChains.ContainsKey(c.Name)))
        {
            batch.DeleteChain(chain.Name);
        }

        foreach (var set in current.Sets.Where(s => !desiredSets.ContainsKey(s.Name)))
        {
            batch.DeleteSet(set.Name);
        }

        foreach (var set in desired.Sets)
        {
            if (currentSets.TryGetValue(set.Name, out var held))
            {
                ChangeElements(batch, held, set);
            }
            else
            {
                batch.CreateSet(set);
            }
        }

        foreach (var chain in desired.Chains.Where(c => !currentChains.ContainsKey(c.Name)))
        {
            batch.CreateChain(chain);
        }

        foreach (var chain in desired.Chains)
        {
            if (!currentChains.TryGetValue(chain.Name, out var held) || !held.Rules.SequenceEqual(chain.Rules))
            {
                batch.AppendRules(chain);
            }
        }

        return batch.Finish();
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

    private static void Change<T>(NftBatchBuilder batch, string set, ImmutableArray<T> held, ImmutableArray<T> wanted, Action<IReadOnlyList<T>, bool> write)
    {
        var keep = wanted.ToHashSet();
        var gone = held.Where(e => !keep.Contains(e)).ToList();
        if (gone.Count * 2 > held.Length)
        {
            batch.FlushSet(set);
            write(wanted, true);
            return;
        }

        var had = held.ToHashSet();
        write(gone, false);
        write([.. wanted.Where(e => !had.Contains(e))], true);
    }

    /// <summary>
    /// The kernel lists chains and sets in creation order: kept ones stay where they are, new ones come last. The
    /// update is exact only when that is the model's order.
    /// </summary>
    private static bool KeepsOrder(IEnumerable<string> current, IEnumerable<string> desired, Func<string, bool> held, Func<string, bool> wanted) =>
        current.Where(wanted).Concat(desired.Where(n => !held(n))).SequenceEqual(desired, StringComparer.Ordinal);

    /// <summary>
    /// The ranges that went are deleted and the new ones added; when most of the set goes, it is emptied and refilled
    /// instead (one flush message is cheaper than naming most of its elements).
    /// </summary>
    private static void ChangeElements(NftBatchBuilder batch, NftSet held, NftSet wanted)
    {
        if (held.Elements.SequenceEqual(wanted.Elements) && held.Tuples.SequenceEqual(wanted.Tuples))
        {
            return;
        }

        if (wanted.IsConcatenation)
        {
            Change(batch, held.Name, held.Tuples, wanted.Tuples, (tuples, add) => batch.Tuples(add ? wanted : held, tuples, add));
        }
        else
        {
            Change(batch, held.Name, held.Elements, wanted.Elements, (ranges, add) => batch.Elements(add ? wanted : held, ranges, add));
        }
    }
}
