using Mnp.Agent.Host;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// The DaemonSets' agent arguments and MNP_ settings read by the agent's own option reader (as <c>mnp agent</c> does at start), with
/// the mounts they rely on: every value valid, and every host path the agent will open mounted under --host-prefix.
/// </summary>
public sealed class AgentOptionsManifestTests : IDisposable
{
    private readonly string _hostPrefix = Directory.CreateTempSubdirectory("mnp-host-").FullName;

    public void Dispose() => Directory.Delete(_hostPrefix, recursive: true);

    [Theory]
    [InlineData("base", "/run/containerd/containerd.sock")]
    [InlineData("openshift", "/run/crio/crio.sock")]
    public async Task DaemonSet_arguments_are_valid_agent_options_and_their_host_paths_are_mounted(string overlay, string socket)
    {
        var pod = Kustomize.Single(await Kustomize.BuildAsync(overlay), "DaemonSet")["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();
        var values = Enumerable.Range(0, args.Count / 2).ToDictionary(i => args[2 * i], i => args[(2 * i) + 1], StringComparer.Ordinal);
        Assert.Equal(args.Count, 2 * values.Count);
        foreach (var setting in container["env"]!.AsArray().Where(e => ((string)e!["name"]!).StartsWith("MNP_", StringComparison.Ordinal)))
        {
            var flag = AgentOptionsReader.Flags.Single(f => AgentOptionsReader.EnvironmentName(f) == (string)setting!["name"]!);
            Assert.True(values.TryAdd(flag, (string)setting!["value"]!), $"{flag} is set twice, as a flag and as {setting!["name"]}");
        }

        var prefixInPod = values["--host-prefix"];
        values["--host-prefix"] = _hostPrefix; // the pod's /host, which does not exist on this machine

        var (options, errors) = AgentOptionsReader.Read(flag => values.GetValueOrDefault(flag), name => name == "NODE_NAME" ? "node-a" : null);

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(SourceChoice.InCluster, options.Source);
        Assert.Equal("node-a", options.NodeName);
        Assert.Equal(socket, options.RuntimeEndpoint);
        Assert.Equal(BackendChoice.Auto, options.Backend);
        Assert.Equal((long)container["ports"]![0]!["containerPort"]!, options.Listen.Port);
        var mounts = container["volumeMounts"]!.AsArray().Select(m => (string)m!["mountPath"]!).ToList();
        Assert.Contains(prefixInPod + socket, mounts);
        Assert.Contains(prefixInPod + "/proc", mounts);
        Assert.Contains(prefixInPod + "/run/netns", mounts);
        Assert.Contains(prefixInPod + "/var/run/netns", mounts);
    }
}
