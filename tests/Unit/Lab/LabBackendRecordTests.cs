using System.Text.Json.Nodes;
using Mnp.Agent.Lab;
using Mnp.Native.Backends;
using Mnp.Tests.Unit.Support;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

/// <summary><c>lab up --backend</c> is recorded in the lab's state; apply and delete follow the record and take no flag of their own.</summary>
public sealed class LabBackendRecordTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mnp-labbackend-" + Guid.NewGuid().ToString("N"));

    private static LabState Plan() => LabPlanner.Plan("demo", Snapshot([Nad("""{"ipam":{"type":"host-local","subnet":"10.4.0.0/24"}}""")], Pod("x/a", On("x/net1"))));

    [Fact]
    public void The_backend_is_saved_with_the_state_and_read_back()
    {
        var store = new LabStore(_root);
        var state = Plan() with { Backend = FirewallBackendKind.Nftables };

        store.Save(state);

        Assert.Equal(FirewallBackendKind.Nftables, store.Load("demo")!.Backend);
        Assert.Equal(state, store.Load("demo"));
        Assert.NotEqual(state with { Backend = FirewallBackendKind.Iptables }, store.Load("demo"));
    }

    [Fact]
    public void A_state_written_before_the_backend_was_recorded_reads_as_iptables()
    {
        var store = new LabStore(_root);
        store.Save(Plan() with { Backend = FirewallBackendKind.Nftables });
        var json = JsonNode.Parse(File.ReadAllText(store.StatePath("demo")))!.AsObject();
        Assert.True(json.Remove("backend"));
        File.WriteAllText(store.StatePath("demo"), json.ToJsonString());

        Assert.Equal(FirewallBackendKind.Iptables, store.Load("demo")!.Backend);
    }

    [Fact]
    public async Task Only_up_takes_a_backend_and_only_the_two_names()
    {
        var bogus = await MnpCli.RunAsync("lab", "up", "--backend", "ebtables", "-f", "/nonexistent/lab.yaml");
        Assert.Equal(2, bogus.ExitCode);
        Assert.Contains("ebtables", Assert.Single(bogus.ErrorLines.Take(1)), StringComparison.Ordinal);

        var apply = await MnpCli.RunAsync("lab", "apply", "--backend", "nftables", "-f", "/nonexistent/lab.yaml");
        Assert.Equal(2, apply.ExitCode);
        Assert.Contains("--backend", string.Join('\n', apply.ErrorLines), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
