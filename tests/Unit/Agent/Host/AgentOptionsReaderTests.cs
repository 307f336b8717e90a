using Mnp.Agent.Host;
using Mnp.Agent.Lab;

namespace Mnp.Tests.Unit.Agent.Host;

public sealed class AgentOptionsReaderTests
{
    private static (AgentOptions? Options, ImmutableArray<string> Errors) Read(Dictionary<string, string> flags, Dictionary<string, string>? env = null) =>
        AgentOptionsReader.Read(f => flags.GetValueOrDefault(f), e => env?.GetValueOrDefault(e), new LabStore(Path.Combine(Path.GetTempPath(), "mnp-no-labs")));

    [Fact]
    public void Defaults_are_in_cluster_30s_auto_and_the_node_from_NODE_NAME()
    {
        var (options, errors) = Read([], new() { ["NODE_NAME"] = "worker-3" });

        Assert.Empty(errors);
        Assert.Equal(SourceChoice.InCluster, options!.Source);
        Assert.Equal("worker-3", options.NodeName);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SyncPeriod);
        Assert.Equal(BackendChoice.Auto, options.Backend);
        Assert.Equal(new IPEndPoint(IPAddress.Any, AgentOptions.DefaultPort), options.Listen);
        Assert.True(options.Policy.AcceptNeighborDiscovery);
    }

    [Fact]
    public void Flags_are_read_and_hostname_override_wins_over_NODE_NAME()
    {
        var (options, errors) = Read(new()
        {
            ["--hostname-override"] = "n1",
            ["--sync-period"] = "1m30s",
            ["--listen"] = "127.0.0.1:9999",
            ["--backend"] = "iptables",
            ["--network-plugins"] = "macvlan, sriov",
            ["--accept-icmp"] = "true",
            ["--accept-neighbor-discovery"] = "false",
            ["--container-runtime-endpoint"] = "unix:///run/crio/crio.sock",
            ["--container-runtime"] = "cri",
        }, new() { ["NODE_NAME"] = "other" });

        Assert.Empty(errors);
        Assert.Equal("n1", options!.NodeName);
        Assert.Equal(TimeSpan.FromSeconds(90), options.SyncPeriod);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:9999"), options.Listen);
        Assert.Equal(BackendChoice.Iptables, options.Backend);
        Assert.Equal(["macvlan", "sriov"], options.Policy.ManagedPlugins.Order(StringComparer.Ordinal));
        Assert.True(options.Policy.AcceptIcmp);
        Assert.False(options.Policy.AcceptNeighborDiscovery);
        Assert.Equal("/run/crio/crio.sock", options.RuntimeEndpoint);
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("500ms", 0.5)]
    [InlineData("2h", 7200)]
    [InlineData("1m5s", 65)]
    public void Durations_take_the_go_reference_number_and_units(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Fact]
    public void Every_bad_value_is_one_line_naming_its_flag()
    {
        var (options, errors) = Read(new()
        {
            ["--kubeconfig"] = "/nonexistent/kubeconfig",
            ["--manifests"] = "/nonexistent/dir",
            ["--sync-period"] = "soon",
            ["--listen"] = "localhost",
            ["--backend"] = "ebpf",
            ["--accept-icmpv6"] = "yes",
            ["--container-runtime"] = "docker",
            ["--container-runtime-endpoint"] = "crio.sock",
            ["--network-plugins"] = " , ",
            ["--lab"] = "Bad_Name",
        });

        Assert.Null(options);
        string[] flags = ["--kubeconfig and --manifests", "--kubeconfig /nonexistent", "--manifests /nonexistent", "--sync-period soon", "--listen localhost",
            "--backend ebpf", "--accept-icmpv6 yes", "--container-runtime docker", "--container-runtime-endpoint crio.sock", "--network-plugins", "--lab"];
        foreach (var flag in flags)
        {
            Assert.Single(errors, e => e.StartsWith(flag, StringComparison.Ordinal));
        }

        Assert.Equal(flags.Length, errors.Length);
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Fact]
    public void A_lab_that_does_not_exist_is_an_error_and_a_sub_second_period_is_refused()
    {
        var (_, errors) = Read(new() { ["--lab"] = "nolab-x1", ["--sync-period"] = "100ms" });

        Assert.Contains(errors, e => e.StartsWith("--lab nolab-x1: no such lab", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--sync-period 100ms", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_names_follow_the_flags()
    {
        Assert.Equal("MNP_SYNC_PERIOD", AgentOptionsReader.EnvironmentName("--sync-period"));
        Assert.Equal("MNP_ACCEPT_ICMPV6", AgentOptionsReader.EnvironmentName("--accept-icmpv6"));
    }
}
