using System.Collections.Immutable;
using Mnp.Native.Files;

namespace Mnp.Agent.Manifests;

/// <summary>
/// The manifest files under a folder, found without recursion (a deep tree cannot exhaust the stack), without
/// following links to directories (three <c>ln -s .</c> would otherwise make the walk exponential), and reading a
/// directory reached twice by device and inode (bind mounts) only once. Sorted by path (ordinal).
/// </summary>
internal static class ManifestWalk
{
    public static List<string> Files(string root, string[] extensions, ImmutableArray<string>.Builder warnings)
    {
        var files = new List<string>();
        var visited = new HashSet<(ulong Device, ulong Inode)>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            if (RegularFile.IdentityOf(directory) is { } identity && !visited.Add(identity))
            {
                warnings.Add($"{directory}: skipped a directory already read under another path");
                continue;
            }

            foreach (var entry in Entries(directory))
            {
                var path = Path.Join(directory, entry.Name);
                if (entry is DirectoryInfo)
                {
                    if (entry.LinkTarget is not null)
                    {
                        warnings.Add($"{path}: skipped a link to a directory (links to directories inside a folder are not followed)");
                        continue;
                    }

                    pending.Push(path);
                }
                else if (extensions.Contains(Path.GetExtension(entry.Name), StringComparer.OrdinalIgnoreCase))
                {
                    files.Add(path); // its kind is checked when it is opened
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static List<FileSystemInfo> Entries(string directory)
    {
        try
        {
            return [.. new DirectoryInfo(directory).EnumerateFileSystemInfos()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestLoadException(directory, $"{directory}: cannot be read: {e.Message}", e);
        }
    }
}
