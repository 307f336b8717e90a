using FsCheck.Xunit;
using k8s.Models;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Input;

/// <summary>
/// Interface names wherever they enter (network-status, the networks annotation): the kernel's rules decide,
/// a bad name is one problem line naming the pod and field, and the entry is dropped (it names no interface
/// that can exist; its addresses are not the pod's for peers) while the pod's other entries stay.
/// </summary>
public sealed class InterfaceNameTests
{
    [Theory]
    [InlineData("net1")]
    [InlineData("n+")]
    [InlineData("a\"b")]
    [InlineData("x\\y")]
    [InlineData("!")]
    [InlineData("-j")]
    [InlineData("abcdefghijklmno")]
    [InlineData("ñññññññ")]
    [InlineData("eth0.100")]
    [InlineData("%1")]
    public void Names_the_kernel_accepts_are_accepted(string name) => Assert.Null(InterfaceNames.Problem(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "\".\"")]
    [InlineData("..", "\".\"")]
    [InlineData("a/b", "'/'")]
    [InlineData("a:b", "'/'")]
    [InlineData("a b", "whitespace")]
    [InlineData("x\n-A INPUT", "whitespace")]
    [InlineData("a\tb", "whitespace")]
    [InlineData("a\rb", "whitespace")]
    [InlineData("a\0b", "NUL")]
    [InlineData("a\u00a0b", "whitespace")]
    [InlineData("a\u2028b", "whitespace")]
    [InlineData("abcdefghijklmnop", "at most 15 bytes of UTF-8, not 16")]
    [InlineData("ññññññññ", "at most 15 bytes of UTF-8, not 16")]
    public void Names_the_kernel_refuses_are_refused(string name, string reason) =>
        Assert.Contains(reason, InterfaceNames.Problem(name), StringComparison.Ordinal);

    [Fact]
    public void A_lone_surrogate_is_refused() =>
        Assert.Contains("valid Unicode", InterfaceNames.Problem(new string(['a', (char)0xD800])), StringComparison.Ordinal);

    [Fact]
    public void A_bad_network_status_name_is_one_line_and_drops_only_its_entry()
    {
        var parsed = Parse(new()
        {
            [Annotations.NetworkStatus] = """[{"name":"neta","interface":"net1","ips":["10.78.1.2"]},{"name":"netb","interface":"x\n-A INPUT -j ACCEPT","ips":["10.78.2.2"]}]""",
        });

        Assert.Equal("net1", Assert.Single(parsed.Value.Interfaces).Interface);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal(("Pod", "x", "b"), (problem.Kind, problem.Namespace, problem.Name));
        Assert.Equal("metadata.annotations[k8s.v1.cni.cncf.io/network-status][1]", problem.Field);
        Assert.Equal("\"interface\" \"x\\u000a-A INPUT -j ACCEPT\": an interface name must not contain '/', ':', NUL or whitespace: entry ignored", problem.Message);
        Assert.DoesNotContain('\n', problem.Message);
    }

    [Theory]
    [InlineData("""[{"name":"neta","interface":"net1"},{"name":"netb","interface":"a/b"}]""", "[1]")]
    [InlineData("neta@net1, netb@a:b", "[1]")]
    public void A_bad_requested_name_is_one_line_and_drops_only_its_entry(string networks, string index)
    {
        var parsed = Parse(new() { [Annotations.Networks] = networks });

        Assert.Equal("net1", Assert.Single(parsed.Value.RequestedNetworks).Interface);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal($"metadata.annotations[k8s.v1.cni.cncf.io/networks]{index}", problem.Field);
        Assert.Contains("an interface name must not contain", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>Any hostile name: accepted exactly when the kernel would accept it, else one line that never holds a line break.</summary>
    [Property(MaxTest = 400)]
    public bool Hostile_names_in_network_status_are_kept_exactly_or_refused_in_one_line(int seed)
    {
        // JSON text cannot carry a lone surrogate (the reader would replace it), so the pieces that make one are paired off here.
        var name = HostileText.Next(new Random(seed), 6).Replace("\ud800", "?", StringComparison.Ordinal).Replace("\udc00", "?", StringComparison.Ordinal);
        var status = System.Text.Json.JsonSerializer.Serialize(new[] { new { name = "neta", @interface = name, ips = new[] { "10.78.1.2" } } });
        var parsed = Parse(new() { [Annotations.NetworkStatus] = status });

        var valid = InterfaceNames.IsValid(name)
            && name.Length > 0 && !name.Any(c => c is '/' or ':' or '\0' || char.IsWhiteSpace(c)) && name is not ("." or "..")
            && System.Text.Encoding.UTF8.GetByteCount(name) <= 15;
        return valid
            ? parsed.Problems.IsEmpty && parsed.Value.Interfaces.Single().Interface == name
            : parsed.Value.Interfaces.IsEmpty && parsed.Problems.Length == 1 && !parsed.Problems[0].Message.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');
    }

    private static Parsed<PodInfo> Parse(Dictionary<string, string> annotations) => PodParser.Parse(
        new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "b", NamespaceProperty = "x", Uid = "u", Annotations = annotations },
            Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "c" }] },
            Status = new V1PodStatus { Phase = "Running" },
        },
        assumeRunningWhenPhaseMissing: false);

    /// <summary>Object names from manifests are not validated by Kubernetes here: whatever they hold, a problem stays one line.</summary>
    [Property(MaxTest = 300)]
    public bool Hostile_object_names_keep_every_problem_on_one_line(int seed)
    {
        var random = new Random(seed);
        var problem = new Problem("Pod", HostileText.Next(random, 4), HostileText.Next(random, 4), HostileText.Next(random, 3), "bad");
        var text = problem.ToString();
        var wellFormed = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text)) == text;
        return wellFormed && !text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') && text.StartsWith("Pod ", StringComparison.Ordinal) && text.EndsWith(": bad", StringComparison.Ordinal);
    }
}
