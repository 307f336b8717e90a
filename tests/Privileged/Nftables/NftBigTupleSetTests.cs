using System.Text.RegularExpressions;
using Mnp.Native.Nftables;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Privileged.Nftables;

/// <summary>
/// The u16 pitfall (docs/native.md §12) for concatenated sets: 5,000 per-destination egress allowances make one
/// <c>ip daddr . meta l4proto . th dport</c> set of about 120 KB of elements, which must be split across element
/// messages like interval sets are. A wrapped nest length would be taken silently by the kernel as a prefix (fewer
/// elements listed); the element count nft lists and our read-back catch it.
/// </summary>
public sealed class NftBigTupleSetTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Five_thousand_address_protocol_port_elements_all_reach_the_kernel_and_reapply_as_a_no_op()
    {
        await using var ns = await TestNetns.CreateAsync();
        var origin = new RuleOrigin("x/to-many", Direction.Egress, 0);
        var allowances = Enumerable.Range(0, 5000).Select(i => new Allowance(origin, false,
            [new PeerMatch(new IPNetwork(new IPAddress([10, 7, (byte)(i >> 8), (byte)i]), 32), [])], false,
            [new PortRange(Mnp.Policy.Cluster.Protocol.Tcp, 8000 + (i % 7), 8000 + (i % 7))]));
        var egress = new DirectionRules(true, ["x/to-many"], [.. allowances]);
        var table = NftRenderer.Render(new PodRules(null!, [new InterfaceRules("net1", new("x", "n"), [], DirectionRules.Open, egress)]), PolicyOptions.Default)!;
        var set = Assert.Single(table.Sets, s => s.IsConcatenation);
        Assert.Equal(5000, set.Tuples.Length);
        var backend = new NftablesBackend(_executor);

        var first = await backend.ApplyTableAsync(ns.Ref, table);

        Assert.Equal(ApplyOutcome.Committed, first.Outcome);
        Assert.True(first.BatchBytes > 65_535, $"batch of {first.BatchBytes} bytes: one nest could hold the elements");
        var json = await Sh.InNetnsAsync(ns.Name, "nft", "-j", "list", "set", "inet", NftTable.OwnedName, set.Name);
        Assert.Equal(5000, Regex.Count(json, "\"10\\.7\\.", RegexOptions.None));
        Assert.True((await new NftablesBackend(_executor).ReadTableAsync(ns.Ref)).Holds(table));
        Assert.Equal(ApplyOutcome.Unchanged, (await backend.ApplyTableAsync(ns.Ref, table)).Outcome);
    }
}
