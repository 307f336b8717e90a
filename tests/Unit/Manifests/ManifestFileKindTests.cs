using FsCheck;
using FsCheck.Fluent;
using Mnp.Agent.Manifests;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Manifests;

/// <summary>
/// Issue 7 item 4: <c>-f</c> reads only regular files, within a size, and walks a folder in time linear in what is
/// in it: a FIFO never hangs, a device is never read, links to directories are never followed.
/// </summary>
public sealed class ManifestFileKindTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mnp-kinds-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string PathOf(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private string Namespace(string relative, string name)
    {
        var path = PathOf(relative);
        File.WriteAllText(path, $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}}}\n");
        return path;
    }

    [Fact]
    public void A_named_fifo_is_one_line_and_never_waits_for_a_writer()
    {
        var fifo = PathOf("pipe.yaml");
        FileKinds.Fifo(fifo);

        var error = Assert.Throws<ManifestLoadException>(() => ManifestLoader.Load([fifo]));

        Assert.Equal($"{fifo}: is a FIFO, not a regular file", error.Message);
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/null", "a character device")]
    public void A_named_device_is_one_line_and_never_read(string device, string kind)
    {
        var error = Assert.Throws<ManifestLoadException>(() => ManifestLoader.Load([device]));

        Assert.Equal($"{device}: is {kind}, not a regular file", error.Message);
    }

    [Fact]
    public void A_named_link_to_a_device_is_refused_by_what_it_points_at()
    {
        var link = PathOf("zero.yaml");
        FileKinds.Link(link, "/dev/zero");

        Assert.Equal($"{link}: is a character device, not a regular file", Assert.Throws<ManifestLoadException>(() => ManifestLoader.Load([link])).Message);
    }

    [Fact]
    public void Inside_a_folder_fifos_sockets_devices_and_dangling_links_are_skipped_with_a_warning_each()
    {
        Namespace("ok.yaml", "ok");
        FileKinds.Fifo(PathOf("pipe.yaml"));
        using var socket = FileKinds.Socket(PathOf("sock.yml"));
        FileKinds.Link(PathOf("zero.json"), "/dev/zero");
        FileKinds.Link(PathOf("gone.yaml"), PathOf("nothing-here"));
        Directory.CreateDirectory(PathOf("dir.yaml/inner"));
        FileKinds.Fifo(PathOf("ignored-by-extension"));

        var result = ManifestLoader.Load([_root]);

        Assert.Equal(["ok"], result.Objects.Select(o => o.Name));
        Assert.Equal(4, result.Warnings.Length);
        Assert.Contains($"{Path.Join(_root, "pipe.yaml")}: is a FIFO, not a regular file: skipped", result.Warnings);
        Assert.Contains($"{Path.Join(_root, "sock.yml")}: is a socket, not a regular file: skipped", result.Warnings);
        Assert.Contains($"{Path.Join(_root, "zero.json")}: is a character device, not a regular file: skipped", result.Warnings);
        Assert.Contains(result.Warnings, w => w.StartsWith($"{Path.Join(_root, "gone.yaml")}: cannot be opened: ENOENT", StringComparison.Ordinal));
    }

    [Fact]
    public void Three_links_to_the_folder_itself_are_not_followed_so_each_file_is_read_once()
    {
        Namespace("a.yaml", "a");
        Namespace("sub/b.yaml", "b");
        FileKinds.Link(PathOf("l1"), ".");
        FileKinds.Link(PathOf("l2"), ".");
        FileKinds.Link(PathOf("sub/l3"), "..");

        var result = ManifestLoader.Load([_root]);

        Assert.Equal(["a", "b"], result.Objects.Select(o => o.Name));
        Assert.Equal(3, result.Warnings.Length);
        Assert.All(result.Warnings, w => Assert.EndsWith("skipped a link to a directory (links to directories inside a folder are not followed)", w, StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_named_through_a_link_is_read_and_file_links_inside_are_followed()
    {
        var real = Namespace("real/a.yaml", "a");
        FileKinds.Link(PathOf("real/alias.yaml"), real);
        FileKinds.Link(PathOf("named"), PathOf("real"));

        var result = ManifestLoader.Load([PathOf("named")]);

        Assert.Equal(["a", "a"], result.Objects.Select(o => o.Name));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_file_past_the_size_limit_is_refused_before_it_is_read()
    {
        var big = PathOf("big.yaml");
        using (var stream = File.Create(big))
        {
            stream.SetLength(ManifestLimits.MaxFileBytes + 1L); // sparse: nothing is written
        }

        var error = Assert.Throws<ManifestLoadException>(() => ManifestLoader.Load([big]));

        Assert.Equal($"{big}: {ManifestLimits.MaxFileBytes + 1L} bytes is more than the {ManifestLimits.MaxFileBytes} a file may have (the limit)", error.Message);
    }

    [Fact]
    public void The_files_of_one_command_together_are_bounded_and_the_file_past_it_is_named()
    {
        var files = Enumerable.Range(0, 3).Select(i => Namespace($"part{i}.yaml", $"n{i}")).ToList();
        var each = new FileInfo(files[0]).Length;

        var error = Assert.Throws<ManifestLoadException>(() => ManifestLoader.Load(files, (2 * each) + 1));

        Assert.Equal($"{files[2]}: the manifests add up to more than {(2 * each) + 1} bytes (the limit)", error.Message);
        Assert.Equal(3, ManifestLoader.Load(files, 3 * each).Objects.Length);
    }

    /// <summary>Random trees of every kind of entry: the load gives objects and warnings, or one line; each file is read once.</summary>
    [FsCheck.Xunit.Property(MaxTest = 40)]
    public Property Any_mix_of_file_kinds_loads_or_fails_in_one_line()
    {
        var kinds = new[] { "file", "fifo", "socket", "zero", "null", "loop", "parent", "dangling", "self", "dir", "unreadable" };
        var gen = Gen.ListOf(Gen.Elements(kinds)).Select(list => list.Take(12).ToArray());
        return Prop.ForAll(gen.ToArbitrary(), entries =>
        {
            var root = Directory.CreateTempSubdirectory("mnp-kinds-prop-").FullName;
            try
            {
                var sockets = new List<IDisposable>();
                var regular = Build(root, entries, sockets);
                try
                {
                    var result = ManifestLoader.Load([root]);
                    return result.Objects.Length == regular && result.Warnings.All(w => !w.Contains('\n', StringComparison.Ordinal));
                }
                catch (ManifestLoadException e)
                {
                    // Only an unreadable file is an error inside a folder, and only when not root (root reads it).
                    return entries.Contains("unreadable") && !e.Message.Contains('\n', StringComparison.Ordinal);
                }
                finally
                {
                    sockets.ForEach(s => s.Dispose());
                }
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });
    }

    /// <summary>Makes the entries (in sub folders by position) and returns how many namespaces a reader should find.</summary>
    private static int Build(string root, string[] entries, List<IDisposable> sockets)
    {
        var regular = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var folder = Path.Join(root, (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var path = Path.Join(folder, $"e{i}.yaml");
            switch (entries[i])
            {
                case "file":
                    File.WriteAllText(path, $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: n{i}}}\n");
                    regular++;
                    break;
                case "fifo":
                    FileKinds.Fifo(path);
                    break;
                case "socket":
                    sockets.Add(FileKinds.Socket(path));
                    break;
                case "zero" or "null":
                    FileKinds.Link(path, "/dev/" + entries[i]);
                    break;
                case "loop":
                    FileKinds.Link(path, ".");
                    break;
                case "parent":
                    FileKinds.Link(path, root);
                    break;
                case "dangling":
                    FileKinds.Link(path, Path.Join(root, "missing"));
                    break;
                case "self":
                    FileKinds.Link(path, path);
                    break;
                case "dir":
                    Directory.CreateDirectory(path);
                    break;
                default:
                    File.WriteAllText(path, $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: u{i}}}\n");
                    if (OperatingSystem.IsLinux())
                    {
                        File.SetUnixFileMode(path, UnixFileMode.None);
                    }

                    regular += Environment.IsPrivilegedProcess ? 1 : 0;
                    break;
            }
        }

        return regular;
    }
}
