using System.Diagnostics;

namespace Mnp.Native.Iptables;

/// <summary>
/// One transaction on one table of one family, run inside a <see cref="Netns.NetnsExecutor"/> job: read
/// back, and if what we own differs from the desired model, replace exactly our MNP- chains and our jumps
/// in built-in chains (placed first, in model order) in one commit. Foreign chains and rules are never
/// touched. A commit that fails with EAGAIN (another writer changed the table since init) is retried from a
/// fresh init, a bounded number of times with a short backoff.
/// </summary>
internal sealed class XtablesWriter
{
    private const int EAGAIN = 11;

    public XtablesWriter(IIptcLibrary library, int maxAttempts = 5)
    {
        Library = library;
        MaxAttempts = maxAttempts;
    }

    public IIptcLibrary Library { get; }

    public int MaxAttempts { get; }

    /// <summary>Test seam: runs after the edits and before the commit of each attempt (to provoke EAGAIN).</summary>
    public Action<IpFamily, int>? BeforeCommit { get; init; }

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
            for (var attempt = 1; ; attempt++)
            {
                using var session = IptcSession.Open(Library, netns, desired.Name);
                var current = RawChain.ReadAll(session, foreignRules: false);
                if (RawComparer.Holds(EntryLayout.For(Library.Family), current, desired, encoded))
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
                catch (XtablesException e) when (e.Errno == EAGAIN && attempt < MaxAttempts)
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

    private static Dictionary<string, ImmutableArray<byte[]>> Encode(NetfilterTable desired) =>
        desired.Chains.ToDictionary(
            c => c.Name,
            c => c.Rules.Select(r => RuleEncoder.EncodeValidated(desired.Family, r)).ToImmutableArray(),
            StringComparer.Ordinal);

    private static void Edit(IptcSession session, ImmutableArray<RawChain> current, NetfilterTable desired, Dictionary<string, ImmutableArray<byte[]>> encoded)
    {
        // 1. Our jumps out of built-in chains (highest index first so the others keep their numbers).
        foreach (var chain in current.Where(c => c.IsBuiltin))
        {
            for (var i = chain.Rules.Length - 1; i >= 0; i--)
            {
                if (ChainNames.IsOwned(chain.Rules[i].Target))
                {
                    session.DeleteRule(chain.Name, i);
                }
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
        foreach (var name in wanted.Where(n => !existing.Contains(n)))
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
