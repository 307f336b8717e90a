using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Manifests;
using Mnp.Policy.Input;

namespace Mnp.Agent.Sources;

/// <summary>
/// The cluster from a folder of manifests (<c>--manifests DIR</c>, or a lab's <c>manifests/</c> folder), watched by
/// polling: the folder is read again when the names, sizes or times of its files change, and changes are reported
/// only once two polls in a row agree, so a folder being rewritten (the lab replaces it as a whole) is never read
/// half-way. A folder that is missing or does not parse keeps the last good view (logged): nothing is removed
/// because a file could not be read. Values are the <see cref="ManifestObject"/>s themselves.
/// </summary>
public sealed class ManifestDirectorySource(string directory, TimeSpan pollInterval, TimeProvider time, ILogger<ManifestDirectorySource> logger) : IClusterSource
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public IReadOnlyCollection<string> Kinds { get; } =
        [ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy];

    public async IAsyncEnumerable<ClusterChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = new Dictionary<ObjectKey, string>();
        string? applied = null;
        string? previous = null;
        var listed = false;
        using var timer = new PeriodicTimer(pollInterval, time);
        do
        {
            var fingerprint = Fingerprint(directory);
            var stable = fingerprint is not null && fingerprint == previous;
            previous = fingerprint;
            if (stable && fingerprint != applied && Mark(ref applied, fingerprint) && Load() is { } objects)
            {
                foreach (var change in Diff(current, objects, time.GetUtcNow()))
                {
                    yield return change;
                }

                if (!listed)
                {
                    listed = true;
                    foreach (var kind in Kinds)
                    {
                        yield return ClusterChange.Listed(kind, time.GetUtcNow());
                    }
                }
            }
        }
        while (await Tick(timer, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Remembers the fingerprint being read, so a folder that does not parse is reported once, not at every poll.</summary>
    private static bool Mark(ref string? applied, string? fingerprint)
    {
        applied = fingerprint;
        return true;
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The files' names, sizes and write times; null when the folder is missing or cannot be listed.</summary>
    internal static string? Fingerprint(string directory)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return null;
            }

            var text = new StringBuilder();
            // The loader's walk: links to directories are not followed (EnumerateFiles followed them, exponentially).
            foreach (var file in ManifestWalk.Files(directory, Extensions, ImmutableArray.CreateBuilder<string>()))
            {
                var info = new FileInfo(file);
                text.Append(file).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
            }

            return text.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ManifestLoadException)
        {
            return null;
        }
    }

    private ImmutableArray<ManifestObject>? Load()
    {
        try
        {
            var loaded = ManifestLoader.Load([directory]);
            return loaded.Objects;
        }
        catch (ManifestLoadException e)
        {
            SourceLog.ManifestsUnreadable(logger, directory, e.Message);
            return null;
        }
    }

    private static List<ClusterChange> Diff(Dictionary<ObjectKey, string> current, ImmutableArray<ManifestObject> objects, DateTimeOffset seen)
    {
        var changes = new List<ClusterChange>();
        var fresh = new Dictionary<ObjectKey, ManifestObject>();
        foreach (var obj in objects)
        {
            fresh[ClusterSnapshotBuilder.KeyOf(obj)] = obj; // a later object with the same key wins, as in the builder
        }

        foreach (var key in current.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
        {
            current.Remove(key);
            changes.Add(ClusterChange.Removed(key, seen));
        }

        foreach (var (key, obj) in fresh)
        {
            var text = obj.Json.GetRawText();
            if (!current.TryGetValue(key, out var old) || old != text)
            {
                current[key] = text;
                changes.Add(new ClusterChange(ClusterChangeKind.Upsert, key, obj, [], seen));
            }
        }

        return changes;
    }
}
