using System.Diagnostics;
using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Ipam;
using Mnp.Agent.Manifests;
using Mnp.Policy.Input;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

/// <summary>The manifests folder is replaced atomically; IPAM exclusions are skipped arithmetically.</summary>
public sealed class LabFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mnp-labfiles-{Guid.NewGuid():N}", "manifests");

    public void Dispose()
    {
        if (Directory.Exists(Path.GetDirectoryName(_directory)))
        {
            Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);
        }
    }

    /// <summary>
    /// The path names a whole generation at every instant, never nothing (a reader that opened the old one may still
    /// see it go away under it: it is deleted once exchanged).
    /// </summary>
    [Fact]
    public void A_reader_never_finds_the_folder_missing()
    {
        var state = new LabState("t", "mnplab-t-node", [], []);
        var objects = Enumerable.Range(0, 20).Select(i => Assert.Single(ManifestParser.Parse(
            $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n{{{i}}}"}}""", "n.json").Objects)).ToList();
        LabManifests.Write(_directory, objects, state);
        var stop = false;
        var seen = new List<int>();
        var reader = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                try
                {
                    seen.Add(Directory.GetFiles(_directory).Length);
                }
                catch (DirectoryNotFoundException)
                {
                    seen.Add(-1);
                }
            }
        });
        reader.Start();
        for (var i = 0; i < 100; i++)
        {
            LabManifests.Write(_directory, objects, state);
        }

        Volatile.Write(ref stop, true);
        reader.Join();
        Assert.NotEmpty(seen);
        Assert.DoesNotContain(-1, seen);
        Assert.False(Directory.Exists(_directory + ".new"));
    }

    [Fact]
    public void A_folder_left_by_a_crash_before_the_exchange_is_replaced_by_the_next_write()
    {
        Directory.CreateDirectory(_directory + ".new");
        File.WriteAllText(Path.Combine(_directory + ".new", "Pod.x.half.json"), "{");
        var state = new LabState("t", "mnplab-t-node", [], []);

        LabManifests.Write(_directory, [Assert.Single(ManifestParser.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}""", "n.json").Objects)], state);

        Assert.Equal(["Namespace.x.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.Single(ManifestLoader.Load([_directory]).Objects);
    }

    /// <summary>An IPv6 /64 minus a /65 is 2^63 excluded addresses: the allocator jumps over them (this once never returned).</summary>
    [Fact]
    public void Whereabouts_exclude_of_half_a_v6_range_is_skipped_in_one_step()
    {
        var config = IpamConfigParser.Parse(Nad("""{"ipam":{"type":"whereabouts","range":"fd00:77::/64","exclude":["fd00:77::/65","fd00:77:0:0:8000::/120"]}}"""));
        var allocator = new IpamAllocator(config, "x/net1");
        var watch = Stopwatch.StartNew();

        Assert.Equal(["fd00:77::8000:0:0:100/64"], allocator.Allocate("x/a").Select(a => a.ToString()));
        Assert.Equal(["fd00:77::8000:0:0:101/64"], allocator.Allocate("x/b").Select(a => a.ToString()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "bounded, not a scan");
    }

    [Fact]
    public void A_range_wholly_excluded_is_exhausted_with_one_line()
    {
        var config = IpamConfigParser.Parse(Nad("""{"ipam":{"type":"whereabouts","range":"fd00:78::/64","exclude":["fd00:78::/64"]}}"""));

        var error = Assert.Throws<LabException>(() => new IpamAllocator(config, "x/net1").Allocate("x/a"));
        Assert.StartsWith("Pod x/a: network x/net1: no free address left in ipam range set 0", error.Message, StringComparison.Ordinal);
    }
}
