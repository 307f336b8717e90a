using Mnp.Native.Backends;
using Mnp.Native.Netns;
using Mnp.Policy.Rules;
using NSubstitute;

namespace Mnp.Tests.Unit.Nftables;

public sealed class SwitchingBackendTests
{
    private static readonly NetnsRef Netns = NetnsRef.Named("pod");

    [Fact]
    public async Task Each_apply_commits_the_active_backend_first_then_removes_what_the_retired_one_holds()
    {
        var calls = new List<string>();
        var active = Backend(FirewallBackendKind.Nftables, "inet mnp", ApplyOutcome.Committed, calls);
        var retired = Backend(FirewallBackendKind.Iptables, "IPv4 filter", ApplyOutcome.Committed, calls);
        var rules = new PodRules(null!, []);

        var result = await new SwitchingBackend(active, retired).ApplyAsync(Netns, rules, PolicyOptions.Default, CancellationToken.None);

        Assert.Equal(["Nftables rules", "Iptables nothing"], calls);
        Assert.Equal(["inet mnp", "IPv4 filter"], result.Transactions.Select(t => t.Scope));
        Assert.Equal(FirewallBackendKind.Nftables, result.Backend);
        Assert.True(result.Changed);
    }

    [Fact]
    public async Task Reads_and_kind_come_from_the_active_backend()
    {
        var active = Backend(FirewallBackendKind.Iptables, "IPv4 filter", ApplyOutcome.Unchanged, []);
        var retired = Backend(FirewallBackendKind.Nftables, "inet mnp", ApplyOutcome.Unchanged, []);
        var dump = new OwnedRuleDump(FirewallBackendKind.Iptables, ["IPv4 filter/MNP-IN-net1"], [], [], ForeignSummary.None);
        active.ReadAsync(Netns, Arg.Any<CancellationToken>()).Returns(dump);
        var switching = new SwitchingBackend(active, retired);

        Assert.Same(dump, await switching.ReadAsync(Netns, CancellationToken.None));
        Assert.Equal(FirewallBackendKind.Iptables, switching.Kind);
        _ = retired.DidNotReceive().ReadAsync(Arg.Any<NetnsRef>(), Arg.Any<CancellationToken>());
    }

    private static IFirewallBackend Backend(FirewallBackendKind kind, string scope, ApplyOutcome outcome, List<string> calls)
    {
        var backend = Substitute.For<IFirewallBackend>();
        backend.Kind.Returns(kind);
        backend.ApplyAsync(Netns, Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            calls.Add($"{kind} {(call.ArgAt<PodRules?>(1) is null ? "nothing" : "rules")}");
            return new BackendApplyResult(kind, [new BackendTransaction(scope, outcome, 0, 1, TimeSpan.Zero, TimeSpan.Zero)]);
        });
        return backend;
    }
}
