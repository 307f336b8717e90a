using System.Runtime.CompilerServices;
using System.Text;

namespace Mnp.Native.Iptables;

/// <summary>
/// One pass over a table through an open session, in place in libiptc's memory (nothing is copied out but
/// chain names): lists the chains an edit needs (<see cref="KernelChain"/>) and decides whether the kernel
/// already holds exactly the desired rules. Entries are compared as <see cref="RawComparer"/> compares copies:
/// byte-equal except the fields the kernel or libiptc own (comefrom, counters, the target, whose name is
/// compared instead), after scrubbing the kernel's copy into a reused buffer (see <see cref="EntryScrubber"/>).
/// Why in place: a sync runs this on every pod every time, and copying each entry to a new array and its
/// target to a string cost more than the compare itself.
/// </summary>
internal sealed unsafe class KernelScan
{
    private readonly IptcSession _session;
    private readonly EntryLayout _layout;
    private readonly NetfilterTable _desired;
    private readonly Dictionary<string, ImmutableArray<byte[]>> _encoded;
    private readonly Dictionary<string, NetfilterChain> _wanted;
    private byte[] _scratch = new byte[1024];

    private KernelScan(IptcSession session, EncodedTable prepared)
    {
        _session = session;
        _layout = EntryLayout.For(session.Family);
        (_desired, _encoded) = prepared;
        _wanted = _desired.Chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>Every chain of the table, and whether what we own already equals <paramref name="prepared"/>.</summary>
    public static (ImmutableArray<KernelChain> Chains, bool Holds) Run(IptcSession session, EncodedTable prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return new KernelScan(session, prepared).Run();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (ImmutableArray<KernelChain> Chains, bool Holds) Run()
    {
        var chains = ImmutableArray.CreateBuilder<KernelChain>();
        var holds = true;
        var ownedSeen = 0;
        foreach (var name in _session.ChainNames())
        {
            if (_session.IsBuiltin(name))
            {
                var (jumps, builtinHolds) = ScanBuiltin(name, holds);
                holds &= builtinHolds;
                chains.Add(new KernelChain(name, true, jumps));
                continue;
            }

            chains.Add(new KernelChain(name, false, []));
            if (ChainNames.IsOwned(name))
            {
                // Once something differs the edit only needs the names: stop comparing.
                holds = holds && _wanted.TryGetValue(name, out var desired) && OwnedHolds(name, desired);
                ownedSeen++;
            }
        }

        return (chains.ToImmutable(), holds && ownedSeen == _desired.Chains.Count(c => !c.IsBuiltin));
    }

    /// <summary>Finds every jump of ours; they hold when they are exactly the head of the chain, in model order (whatever follows is foreign).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (ImmutableArray<int> Jumps, bool Holds) ScanBuiltin(string name, bool compare)
    {
        var desired = _wanted.GetValueOrDefault(name);
        var expected = desired?.Rules.Length ?? 0;
        var jumps = ImmutableArray.CreateBuilder<int>();
        var holds = compare;
        var index = 0;
        for (var entry = _session.FirstEntry(name); entry != null; entry = _session.NextEntry(entry), index++)
        {
            var target = _session.TargetName(entry);
            if (ChainNames.IsOwned(target))
            {
                jumps.Add(index);
            }

            if (holds && index < expected)
            {
                holds = SameRule(entry, target, desired!.Rules[index], _encoded[name][index]);
            }
        }

        return (jumps.ToImmutable(), holds && jumps.Count == expected);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool OwnedHolds(string name, NetfilterChain desired)
    {
        var entries = _encoded[name];
        var index = 0;
        for (var entry = _session.FirstEntry(name); entry != null; entry = _session.NextEntry(entry), index++)
        {
            if (index >= entries.Length || !SameRule(entry, _session.TargetName(entry), desired.Rules[index], entries[index]))
            {
                return false;
            }
        }

        return index == entries.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SameRule(byte* entry, ReadOnlySpan<byte> target, NetfilterRule desired, byte[] ours) =>
        TargetIs(target, desired.Target.Name) && SameEntry(_session.EntryBytes(entry), ours);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TargetIs(ReadOnlySpan<byte> kernel, string name)
    {
        // Target names are at most 28 bytes (validated); a longer kernel name cannot be ours.
        Span<byte> utf8 = stackalloc byte[64];
        return Encoding.UTF8.TryGetBytes(name, utf8, out var length) && kernel.SequenceEqual(utf8[..length]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SameEntry(ReadOnlySpan<byte> kernel, ReadOnlySpan<byte> ours)
    {
        if (kernel.Length != ours.Length)
        {
            return false;
        }

        if (_scratch.Length < kernel.Length)
        {
            _scratch = new byte[kernel.Length];
        }

        var copy = _scratch.AsSpan(0, kernel.Length);
        kernel.CopyTo(copy);
        EntryScrubber.ScrubInPlace(_layout, copy);
        return RawComparer.SameEntry(_layout, copy, ours);
    }
}
