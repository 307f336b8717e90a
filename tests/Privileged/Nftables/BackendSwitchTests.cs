using Mnp.Native.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Privileged.Nftables;

/// <summary>The nftables backend through the seam, and a pod moving between backends in one sync.</summary>
public sealed class BackendSwitchTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Moving_a_pod_from_iptables_to_nftables_removes_the_legacy_rules_in_the_same_sync_and_back()
    {
        await using var ns = await TestNetns.CreateAsync();
        var iptables = new IptablesBackend(_executor);
        var nftables = new NftablesBackend(_executor);
        var rules = Rules();
        await iptables.ApplyAsync(ns.Ref, rules, PolicyOptions.Default, CancellationToken.None);
        Assert.Contains("MNP-IN-net1", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);

        var moved = await new SwitchingBackend(nftables, iptables).ApplyAsync(ns.Ref, rules, PolicyOptions.Default, CancellationToken.None);

        Assert.Equal(["inet mnp", "IPv4 filter", "IPv6 filter"], moved.Transactions.Select(t => t.Scope));
        Assert.All(moved.Transactions, t => Assert.Equal(ApplyOutcome.Committed, t.Outcome));
        Assert.DoesNotContain("MNP-", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);
        var dump = await nftables.ReadAsync(ns.Ref, CancellationToken.None);
        Assert.Equal(["inet mnp"], dump.Containers.ToArray());
        var allowance = Assert.Single(dump.Rules, r => r.Origin is not null);
        Assert.Equal("x/p ingress[0]", allowance.Origin);
        Assert.Equal("ip saddr 10.9.0.2 tcp dport 80 accept comment \"x/p ingress[0]\"", allowance.Text);
        Assert.Contains(dump.Rules, r => r.Interface == "net1" && r.Text.StartsWith("iifname", StringComparison.Ordinal));

        var back = await new SwitchingBackend(iptables, nftables).ApplyAsync(ns.Ref, rules, PolicyOptions.Default, CancellationToken.None);
        Assert.True(back.Changed);
        Assert.Contains("MNP-IN-net1", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);
        Assert.True((await nftables.ReadAsync(ns.Ref, CancellationToken.None)).HoldsNothingOfOurs);
        var again = await new SwitchingBackend(iptables, nftables).ApplyAsync(ns.Ref, rules, PolicyOptions.Default, CancellationToken.None);
        Assert.False(again.Changed);
    }

    private static PodRules Rules()
    {
        var allowance = new Allowance(new RuleOrigin("x/p", Direction.Ingress, 0), false, [new PeerMatch(IPNetwork.Parse("10.9.0.2/32"), [])], false,
            [new PortRange(Mnp.Policy.Cluster.Protocol.Tcp, 80, 80)]);
        var ingress = new DirectionRules(true, ["x/p"], [allowance]);
        return new PodRules(null!, [new InterfaceRules("net1", new("x", "n"), [], ingress, DirectionRules.Open)]);
    }
}
