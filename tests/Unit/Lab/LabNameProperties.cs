using System.Text;
using FsCheck.Xunit;
using Mnp.Agent.Lab;
using Mnp.Agent.Manifests;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

/// <summary>
/// Object names, generated hostile: Kubernetes-valid names (mostly 'a', 'b', '-' and '.', so readable namespace
/// names collide often, and some long enough to pass 255 bytes) never share a network namespace or a manifests
/// file; invalid ones are refused by the planner, which runs before anything is created.
/// </summary>
public sealed class LabNameProperties
{
    private const string HostLocal = """{"type":"macvlan","ipam":{"type":"host-local","subnet":"10.1.0.0/16"}}""";

    [Property(MaxTest = 150)]
    public bool Valid_names_never_share_a_namespace_or_a_manifests_file(int seed)
    {
        var random = new Random(seed);
        var pods = new Dictionary<string, PodInfo>(StringComparer.Ordinal);
        for (var i = 0; i < 12; i++)
        {
            var ns = Label(random, random.Next(4) == 0 ? 63 : 6);
            var name = Subdomain(random, random.Next(4) == 0 ? 253 : 8);
            pods.TryAdd($"{ns}/{name}", Pod($"{ns}/{name}", On("x/net1")));
        }

        var state = LabPlanner.Plan("t-x", Snapshot([Nad(HostLocal)], [.. pods.Values]));
        var netns = state.AllNetns.ToList();
        if (netns.Distinct(StringComparer.Ordinal).Count() != netns.Count || netns.Any(n => Encoding.UTF8.GetByteCount(n) > 255))
        {
            return false;
        }

        // Replanning against the saved state keeps every name (the state is the authority).
        var again = LabPlanner.Plan("t-x", Snapshot([Nad(HostLocal)], [.. pods.Values]), state);
        if (!again.Pods.Select(p => p.Netns).SequenceEqual(state.Pods.Select(p => p.Netns)))
        {
            return false;
        }

        var directory = Path.Combine(Path.GetTempPath(), $"mnp-names-{Guid.NewGuid():N}");
        try
        {
            var objects = pods.Values.SelectMany(p => new[] { PodObject(p.Namespace, p.Name), NadObject(p.Namespace, p.Name) }).ToList();
            LabManifests.Write(directory, objects, state);
            var read = ManifestLoader.Load([directory]).Objects;
            return Directory.EnumerateFiles(directory).Count() == objects.Count && read.Count() == objects.Count;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Property(MaxTest = 150)]
    public bool Invalid_names_fail_in_the_planner_with_one_line(int seed)
    {
        var random = new Random(seed);
        var (ns, name) = random.Next(3) switch
        {
            0 => (Invalid(random, 63), "p"),
            1 => ("x", Invalid(random, 253)),
            _ => (Label(random, 5) + ".dot", "p"),
        };
        var pod = Pod($"{ns}/{name}", On("x/net1"));
        try
        {
            LabPlanner.Plan("t", Snapshot([Nad(HostLocal)], pod));
            return false;
        }
        catch (LabException e)
        {
            return !e.Message.Contains('\n', StringComparison.Ordinal) && (e.Message.StartsWith("Pod ", StringComparison.Ordinal) || e.Message.StartsWith("Namespace ", StringComparison.Ordinal)) && e.Message.Length < 400;
        }
    }

    [Fact]
    public void Readable_names_that_would_collide_get_the_documented_fallback()
    {
        var state = LabPlanner.Plan("t", Snapshot([Nad(HostLocal)], Pod("a-b/c", On("x/net1")), Pod("a/b-c", On("x/net1"))));

        Assert.Equal("mnplab-t-a-b-c", state.Pods[0].Netns);
        Assert.Matches("^mnplab-t-_[0-9a-f]{12}$", state.Pods[1].Netns);
    }

    [Fact]
    public void Manifests_of_namespace_a_b_pod_c_and_namespace_a_pod_b_c_are_two_files()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"mnp-names-{Guid.NewGuid():N}");
        try
        {
            var state = new LabState("t", "mnplab-t-node", [], []);
            LabManifests.Write(directory, [PodObject("a.b", "c"), PodObject("a", "b.c")], state);
            Assert.Equal(["a.b/c", "a/b.c"], ManifestLoader.Load([directory]).Objects.Select(o => $"{o.Namespace}/{o.Name}").Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ManifestObject PodObject(string ns, string name) => Parse($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"containers":[]}}
        """);

    private static ManifestObject NadObject(string ns, string name) => Parse($$$"""
        {"apiVersion":"k8s.cni.cncf.io/v1","kind":"NetworkAttachmentDefinition","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"config":"{}"}}
        """);

    private static ManifestObject Parse(string json) => Assert.Single(ManifestParser.Parse(json, "gen.json").Objects);

    private static string Label(Random random, int maxLength)
    {
        var length = random.Next(1, maxLength + 1);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = i == 0 || i == length - 1 ? "ab1"[random.Next(3)] : "ab-"[random.Next(3)];
        }

        return new string(chars);
    }

    private static string Subdomain(Random random, int maxLength)
    {
        var result = Label(random, Math.Min(63, maxLength));
        while (random.Next(3) > 0)
        {
            var part = Label(random, 63);
            if (result.Length + 1 + part.Length > maxLength)
            {
                break;
            }

            result += "." + part;
        }

        return result;
    }

    /// <summary>Breaks one rule Kubernetes has for names: length, case, a character, or an edge.</summary>
    private static string Invalid(Random random, int maxLength) => random.Next(6) switch
    {
        0 => new string('a', maxLength + 1 + random.Next(5)),
        1 => "A" + Label(random, 5),
        2 => Label(random, 4) + "_" + Label(random, 4),
        3 => "-" + Label(random, 4),
        4 => Label(random, 4) + "\n",
        _ => Label(random, 3) + "ñ",
    };
}
