using System.Collections.Concurrent;
using System.Diagnostics;
using Mnp.Native.Backends;
using Mnp.Native.Netns;
using Mnp.Policy.Nftables;

namespace Mnp.Native.Nftables;

/// <summary>
/// Makes our <c>inet mnp</c> table in one namespace equal to a model, read–modify–write under the generation id:
/// GETGEN equal to what our last commit left means nothing changed (no read, no write); otherwise read, compare
/// the decoded model, and if it differs send one batch carrying the generation of the read. ERESTART (another
/// writer committed in between) re-reads and retries with backoff. A table named <c>mnp</c> without our marker is
/// refused, never changed.
/// </summary>
public sealed class NftablesWriter
{
    private const int MaxAttempts = 5;
    private readonly ConcurrentDictionary<NamespaceIdentity, (uint Generation, NftTable? Table)> _committed = new();
    private readonly Action<int>? _afterRead;

    public NftablesWriter()
    {
    }

    /// <summary>Tests: <paramref name="afterRead"/> runs between each read and its commit (attempt number), to play a concurrent writer.</summary>
    internal NftablesWriter(Action<int> afterRead)
    {
        _afterRead = afterRead;
    }

    public NftApplyResult Apply(NftSocket socket, NamespaceIdentity identity, NftTable? desired)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var started = Stopwatch.GetTimestamp();
        var generation = socket.GetGeneration();
        var unchangedSinceOurCommit = _committed.TryGetValue(identity, out var last) && last.Generation == generation;
        if (unchangedSinceOurCommit && Equals(last.Table, desired))
        {
            // What we committed was checked before it was sent; checking it again (a sort of every tuple set) would
            // cost a no-op sync more than the question it answers.
            return Result(ApplyOutcome.Unchanged, 0, desired, null, started, TimeSpan.Zero, generation);
        }

        ThrowIfInvalid(desired);

        for (var attempt = 1; ; attempt++)
        {
            // Nothing changed since our last commit: the kernel holds exactly that table, no read needed (the batch's
            // generation still guards the commit; on ERESTART the next attempt reads).
            var dump = unchangedSinceOurCommit && attempt == 1
                ? new NftTableDump(last.Table, last.Table is not null, [], generation, [])
                : socket.ReadTable();
            if (dump.Exists && !dump.Marked)
            {
                throw new NftablesException("apply", $"table inet {NftTable.OwnedName}", socket.Netns, 0,
                    $"exists without our marker \"{NftTable.OwnedMarker}\": not ours, left untouched");
            }

            if (dump.Holds(desired))
            {
                _committed[identity] = (dump.Generation, desired);
                return Result(ApplyOutcome.Unchanged, attempt, desired, null, started, TimeSpan.Zero, dump.Generation);
            }

            _afterRead?.Invoke(attempt);
            // Our marked table read without anomalies is exactly its model: keep it and its base chains and change
            // only what differs. Anything else (absent, drift the model cannot express, removal) is replaced whole.
            var update = dump.Table is { } held && dump.Marked && dump.Anomalies.IsEmpty && desired is not null
                ? NftBatchEncoder.Update(held, desired, dump.Generation, NftSocket.BatchSequenceBase)
                : null;
            var batch = update ?? NftBatchEncoder.Replace(desired, dump.Generation, NftSocket.BatchSequenceBase);
            var commitStarted = Stopwatch.GetTimestamp();
            try
            {
                var after = socket.Commit(batch);
                _committed[identity] = (after, desired);
                return Result(ApplyOutcome.Committed, attempt, desired, batch, started, Stopwatch.GetElapsedTime(commitStarted), after) with { KeptTable = update is not null };
            }
            catch (NftablesException e) when (e.IsGenerationConflict && attempt < MaxAttempts)
            {
                Thread.Sleep(attempt * attempt);
            }
        }
    }

    /// <summary>Forgets what we committed in a namespace (it was deleted, or the next sync must read).</summary>
    public void Forget(NamespaceIdentity identity) => _committed.TryRemove(identity, out _);

    /// <summary>Checks the model against the kernel's limits before anything is sent (docs/native.md §19).</summary>
    public static void ThrowIfInvalid(NftTable? table)
    {
        if (table is null)
        {
            return;
        }

        if (table.Name != NftTable.OwnedName)
        {
            throw new ArgumentException($"table {table.Name}: we only ever write table inet {NftTable.OwnedName}", nameof(table));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in table.Sets)
        {
            CheckName("set", set.Name);
            if (set.IsConcatenation && (!set.Elements.IsEmpty || !InListingOrder(set)))
            {
                throw new ArgumentException($"set {set.Name}: a concatenation holds distinct tuples in nft's order and no ranges", nameof(table));
            }

            for (var i = 1; i < set.Elements.Length; i++)
            {
                if (set.Elements[i].First <= set.Elements[i - 1].Last)
                {
                    throw new ArgumentException($"set {set.Name}: element {i} overlaps or is out of order", nameof(table));
                }
            }
        }

        foreach (var chain in table.Chains)
        {
            CheckName("chain", chain.Name);
            if (!names.Add(chain.Name))
            {
                throw new ArgumentException($"chain {chain.Name} appears twice", nameof(table));
            }

            foreach (var rule in chain.Rules)
            {
                if (rule.Comment is { Length: > NftRenderer.MaxCommentLength })
                {
                    throw new ArgumentException($"chain {chain.Name}: comment longer than {NftRenderer.MaxCommentLength} characters", nameof(table));
                }
            }
        }
    }

    /// <summary>Distinct tuples in nft's order: each one after the one before (one pass, nothing sorted or allocated).</summary>
    private static bool InListingOrder(NftSet set)
    {
        var order = set.KeyType == NftSetKeyType.Ipv6ProtoService ? NftTupleOrder.V6 : NftTupleOrder.V4;
        for (var i = 1; i < set.Tuples.Length; i++)
        {
            if (order.Compare(set.Tuples[i - 1], set.Tuples[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckName(string kind, string name)
    {
        if (name.Length is 0 or > 255 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"{kind} name \"{name}\" is not 1–255 characters of [A-Za-z0-9_.-]", nameof(name));
        }
    }

    private static NftApplyResult Result(ApplyOutcome outcome, int attempts, NftTable? table, EncodedBatch? batch, long started, TimeSpan commit, uint generation) =>
        new(outcome, attempts, table?.RuleCount ?? 0, batch?.MessageCount ?? 0, batch?.Bytes.Length ?? 0, Stopwatch.GetElapsedTime(started), commit, generation);
}
