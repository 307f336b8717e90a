using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mnp.Native.Backends;

namespace Mnp.Native.Iptables;

/// <summary>
/// One transaction on one table of one family, run inside a <see cref="Netns.NetnsExecutor"/> job: read
/// back, and if what we own differs from the desired model, replace exactly our MNP- chains and our jumps
/// in built-in chains (placed first, in model order) in one commit. Foreign chains and rules are never
/// touched. First the read-only compare: the kernel's copy of the table (<see cref="TableBlobReader"/>) checked against
/// the encoded model (<see cref="TableBlobScan"/>), no libiptc handle and no lock; when it holds, nothing more is done.
/// Otherwise the transaction: each attempt holds the xtables lock (<see cref="XtablesLock"/>) from init to commit, and
/// decides again from its own read (the table may have changed since). A commit that fails with EAGAIN (another
/// writer changed the table since init) is retried from a fresh init, a bounded number of times with a short backoff.
/// The per-rule paths (encode, scan, edit) are marked AggressiveOptimization: the agent syncs every pod again
/// and again, and tiered compilation kept them at tier 0 for the first hundreds of syncs (measured: the
/// validator 3x and the scan 3x slower than optimized code).
/// </summary>
internal sealed class XtablesWriter
{
    private readonly TableBlobReader _blobs;
    private bool? _libraryLoads;

    public XtablesWriter(IIptcLibrary library, int maxAttempts = 5)
    {
        Library = library;
        MaxAttempts = maxAttempts;
        _blobs = new TableBlobReader(library.Family);
    }

    public IIptcLibrary Library { get; }

    public int MaxAttempts { get; }

    /// <summary>Test seam: runs after the edits and before the commit of each attempt (to provoke EAGAIN).</summary>
    public Action<IpFamily, int>? BeforeCommit { get; init; }

    /// <summary>Test seam: false skips the read-only compare, so the libiptc scan decides alone.</summary>
    public bool ReadOnlyCompare { get; init; } = true;

    /// <summary>Encodes a validated model (see <see cref="RuleValidator"/>): done before the netns job, off the executor thread.</summary>
    public static EncodedTable Prepare(NetfilterTable desired) => new(desired, Encode(desired));

    /// <summary>Applies a prepared model in the calling thread's namespace.</summary>
    public FamilyApplyResult Apply(string netns, EncodedTable prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var (desired, encoded) = prepared;
        var clock = Stopwatch.StartNew();
        lock (IptcLock.Gate)
        {
            // The periodic resync's common case, a table that already holds the model: read and compared without
            // libiptc or the xtables lock (docs/native.md §7, "the read-only compare"); anything else is decided below.
            // It needs no libiptc, but runs only where the library loads: a sync that could not repair drift must
            // fail as before, naming the library, rather than pass while nothing needs writing.
            _libraryLoads ??= NativeLibrary.TryLoad(Library.LibraryName, out _);
            if (ReadOnlyCompare && _libraryLoads == true && _blobs.Read(desired.Name) is { } blob && TableBlobScan.Holds(blob, prepared))
            {
                return new FamilyApplyResult(Library.Family, desired.Name, ApplyOutcome.Unchanged, 1, clock.Elapsed, TimeSpan.Zero);
            }

            for (var attempt = 1; ; attempt++)
            {
                // Init to commit under the tools' lock: a host-side iptables never interleaves with this transaction.
                using var xtables = XtablesLock.Acquire(netns);
                using var session = IptcSession.Open(Library, netns, desired.Name);
                var (current, holds) = KernelScan.Run(session, prepared);
                if (holds)
                {
                    return new FamilyApplyResult(Library.Family, desired.Name, ApplyOutcome.Unchanged, attempt, clock.Elapsed, TimeSpan.Zero);
                }

                Edit(session, current, desired, encoded);
                BeforeCommit?.Invoke(Library.Family, attempt);
                var commitStart = clock.Elapsed;
                try
                {
                    session.Commit();
                    return new FamilyApplyResult(Library.Family, desired.Name, ApplyOutcome.Committed, attempt, clock.Elapsed, clock.Elapsed - commitStart);
                }
                catch (XtablesException e) when (e.Errno == LinuxError.EAGAIN && attempt < MaxAttempts)
                {
                    // Synchronous backoff: the netns thread must not schedule timers or tasks.
                    Thread.Sleep(1 << (attempt - 1));
                }
            }
        }
    }

    /// <summary>Reads and decodes the table in the calling thread's namespace.</summary>
    public TableDump Read(string netns, string table)
    {
        lock (IptcLock.Gate)
        {
            using var session = IptcSession.Open(Library, netns, table);
            return TableReader.Read(session);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<string, ImmutableArray<byte[]>> Encode(NetfilterTable desired)
    {
        var encoded = new Dictionary<string, ImmutableArray<byte[]>>(desired.Chains.Length, StringComparer.Ordinal);
        foreach (var chain in desired.Chains)
        {
            var entries = new byte[chain.Rules.Length][];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = RuleEncoder.EncodeValidated(desired.Family, chain.Rules[i]);
            }

            encoded.Add(chain.Name, ImmutableCollectionsMarshal.AsImmutableArray(entries));
        }

        return encoded;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Edit(IptcSession session, ImmutableArray<KernelChain> current, NetfilterTable desired, Dictionary<string, ImmutableArray<byte[]>> encoded)
    {
        // 1. Our jumps out of built-in chains (highest index first so the others keep their numbers).
        foreach (var chain in current.Where(c => c.IsBuiltin))
        {
            for (var i = chain.OwnedJumps.Length - 1; i >= 0; i--)
            {
                session.DeleteRule(chain.Name, chain.OwnedJumps[i]);
            }
        }

        // 2. Empty our chains, then delete the ones no longer wanted (all flushed first: they may jump to each other).
        var existing = current.Where(c => c.IsOwned).Select(c => c.Name).ToList();
        existing.ForEach(session.Flush);
        var wanted = desired.Chains.Where(c => !c.IsBuiltin).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in existing.Where(n => !wanted.Contains(n)))
        {
            session.DeleteChain(name);
        }

        // 3. Create every wanted chain before any rule, so jumps resolve to chains rather than extension targets.
        var existingNames = existing.ToHashSet(StringComparer.Ordinal); // a list's Contains per wanted chain was quadratic
        foreach (var name in wanted.Where(n => !existingNames.Contains(n)))
        {
            session.CreateChain(name);
        }

        foreach (var chain in desired.Chains)
        {
            var entries = encoded[chain.Name];
            for (var i = 0; i < entries.Length; i++)
            {
                if (chain.IsBuiltin)
                {
                    session.Insert(chain.Name, i, entries[i]);
                }
                else
                {
                    session.Append(chain.Name, entries[i]);
                }
            }
        }
    }
}
