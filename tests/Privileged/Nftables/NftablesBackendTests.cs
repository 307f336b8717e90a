using System.Text.RegularExpressions;
using Mnp.Native.Nftables;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;
using Mnp.Tests.Privileged.Rendering;

namespace Mnp.Tests.Privileged.Nftables;

/// <summary>The netlink writer and reader against the kernel, with the real nft as the oracle.</summary>
public sealed partial class NftablesBackendTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Every_model_committed_over_netlink_is_listed_by_nft_as_rendered_decodes_to_the_model_and_reapplies_as_a_no_op()
    {
        var compared = 0;
        foreach (var model in SaveWriterRoundTripTests.Models)
        {
            var options = SaveWriterRoundTripTests.OptionsFor(model);
            foreach (var pod in SaveWriterRoundTripTests.Compile(model))
            {
                var table = NftRenderer.Render(pod, options)!;
                await using var ns = await TestNetns.CreateAsync();
                await using var oracle = await TestNetns.CreateAsync();
                var backend = new NftablesBackend(_executor);

                var first = await backend.ApplyTableAsync(ns.Ref, table);
                Assert.Equal(ApplyOutcome.Committed, first.Outcome);
                var text = NftText.Write(table);
                Assert.Equal(text, await ListAsync(ns.Name));

                // The same ruleset loaded by nft itself reads back as the same JSON (handles aside).
                await Sh.RunAsync("ip", ["netns", "exec", oracle.Name, "nft", "-f", "-"], text);
                Assert.Equal(await JsonAsync(oracle.Name), await JsonAsync(ns.Name));

                var dump = await backend.ReadTableAsync(ns.Ref);
                Assert.Empty(dump.Anomalies);
                Assert.Equal(table, dump.Table);
                Assert.True(dump.Holds(table), $"{model} {pod.Pod.Key}: decode differs from the model");

                var second = await backend.ApplyTableAsync(ns.Ref, table);
                Assert.Equal(ApplyOutcome.Unchanged, second.Outcome);
                Assert.Equal(first.Generation, second.Generation);
                var fresh = await new NftablesBackend(_executor).ApplyTableAsync(ns.Ref, table); // no cached generation: reads and compares
                Assert.Equal(ApplyOutcome.Unchanged, fresh.Outcome);
                compared++;
            }
        }

        Assert.True(compared >= SaveWriterRoundTripTests.Models.Length);
    }

    [PrivilegedFact]
    public async Task Foreign_tables_and_legacy_rules_are_untouched_and_removal_deletes_only_ours()
    {
        await using var ns = await TestNetns.CreateAsync();
        await Sh.RunAsync("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"],
            "table inet other {\n chain input {\n type filter hook input priority 10; policy accept;\n tcp dport 22 accept comment \"theirs\"\n }\n}\ntable ip mnp2 {\n chain c {\n }\n}\n");
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-A", "INPUT", "-s", "192.0.2.9", "-j", "ACCEPT");
        var foreignBefore = await Sh.InNetnsAsync(ns.Name, "nft", "list", "table", "inet", "other");
        var legacyBefore = await Sh.SaveAsync(ns.Name, IpFamily.V4);
        var backend = new NftablesBackend(_executor);
        var table = Sample();

        await backend.ApplyTableAsync(ns.Ref, table);
        var dump = await backend.ReadTableAsync(ns.Ref);
        Assert.Contains("inet other", dump.ForeignTables);
        Assert.Contains("ip mnp2", dump.ForeignTables);
        var removed = await backend.ApplyTableAsync(ns.Ref, null);

        Assert.Equal(ApplyOutcome.Committed, removed.Outcome);
        Assert.Equal(foreignBefore, await Sh.InNetnsAsync(ns.Name, "nft", "list", "table", "inet", "other"));
        Assert.Equal(legacyBefore, await Sh.SaveAsync(ns.Name, IpFamily.V4));
        var tables = await Sh.InNetnsAsync(ns.Name, "nft", "list", "tables");
        Assert.Equal("table inet other\ntable ip mnp2\n", tables);
        Assert.Equal(ApplyOutcome.Unchanged, (await backend.ApplyTableAsync(ns.Ref, null)).Outcome);
    }

    [PrivilegedFact]
    public async Task A_table_named_mnp_without_our_marker_is_refused_and_left_alone()
    {
        await using var ns = await TestNetns.CreateAsync();
        await Sh.RunAsync("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"], "table inet mnp {\n chain c {\n accept\n }\n}\n");
        var before = await ListAsync(ns.Name);

        var error = await Assert.ThrowsAsync<NftablesException>(() => new NftablesBackend(_executor).ApplyTableAsync(ns.Ref, Sample()));

        Assert.Contains("not ours", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ListAsync(ns.Name));
    }

    [PrivilegedTheory]
    [InlineData("add rule inet mnp ingress-net1 accept")]
    [InlineData("delete rule inet mnp ingress-net1 handle HANDLE")]
    [InlineData("add element inet mnp ingress-net1-0-v4 { 198.51.100.7 }")]
    [InlineData("delete element inet mnp ingress-net1-0-v4 { 10.9.0.2 }")]
    [InlineData("add chain inet mnp extra")]
    [InlineData("chain inet mnp input { policy drop; }")]
    [InlineData("add set inet mnp extra { type ipv4_addr; }")]
    [InlineData("delete table inet mnp")]
    public async Task Every_kind_of_drift_is_detected_and_repaired_in_one_batch(string change)
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new NftablesBackend(_executor);
        var table = Sample();
        await backend.ApplyTableAsync(ns.Ref, table);
        var handle = HandleOfDrop().Match(await Sh.InNetnsAsync(ns.Name, "nft", "-a", "list", "chain", "inet", "mnp", "ingress-net1")).Groups[1].Value;
        await Sh.InNetnsAsync(ns.Name, "nft", change.Replace("HANDLE", handle, StringComparison.Ordinal));

        var drifted = await backend.ReadTableAsync(ns.Ref);
        Assert.False(drifted.Holds(table), $"{change}: not seen as drift");
        var repaired = await backend.ApplyTableAsync(ns.Ref, table);

        Assert.Equal(ApplyOutcome.Committed, repaired.Outcome);
        Assert.Equal(1, repaired.Attempts);
        Assert.Equal(NftText.Write(table), await ListAsync(ns.Name));
    }

    [PrivilegedFact]
    public async Task A_concurrent_writer_between_read_and_commit_is_detected_and_the_apply_retried()
    {
        await using var ns = await TestNetns.CreateAsync();
        using var socket = await NftSocket.OpenAsync(_executor, ns.Ref);
        var dump = socket.ReadTable();
        await Sh.InNetnsAsync(ns.Name, "nft", "add", "table", "inet", "someone-else"); // moves the generation

        var stale = Assert.Throws<NftablesException>(() => socket.Commit(NftBatchEncoder.Replace(Sample(), dump.Generation, NftSocket.BatchSequenceBase)));
        Assert.True(stale.IsGenerationConflict, stale.Message);
        Assert.DoesNotContain("mnp", await Sh.InNetnsAsync(ns.Name, "nft", "list", "tables"), StringComparison.Ordinal);

        var writer = new NftablesWriter(attempt =>
        {
            if (attempt == 1)
            {
                Sh.InNetnsAsync(ns.Name, "nft", "add", "table", "inet", "racer").GetAwaiter().GetResult();
            }
        });
        var result = writer.Apply(socket, NetnsExecutor.IdentityOf(ns.Ref.Path), Sample());
        Assert.Equal(ApplyOutcome.Committed, result.Outcome);
        Assert.Equal(2, result.Attempts);
        Assert.Contains("table inet racer", await Sh.InNetnsAsync(ns.Name, "nft", "list", "tables"), StringComparison.Ordinal);
        Assert.Equal(NftText.Write(Sample()), await ListAsync(ns.Name));
    }

    [PrivilegedFact]
    public async Task A_vanished_namespace_gives_a_typed_error()
    {
        var ns = await TestNetns.CreateAsync();
        var gone = ns.Ref;
        await ns.DisposeAsync();

        var error = await Assert.ThrowsAsync<NetnsException>(() => new NftablesBackend(_executor).ApplyTableAsync(gone, Sample()));

        Assert.Equal(NetnsError.NotFound, error.Error);
    }

    [PrivilegedFact]
    public async Task A_socket_is_kept_per_namespace_between_syncs_a_new_namespace_at_the_path_gets_its_own_and_idle_ones_close()
    {
        var backend = new NftablesBackend(_executor);
        await using var ns = await TestNetns.CreateAsync();
        await backend.ApplyTableAsync(ns.Ref, Sample());
        await backend.ReadTableAsync(ns.Ref);
        Assert.Equal(1, backend.KeptSockets);

        // The pod is re-created: same path, another namespace. Its sync must reach the new one, which holds nothing yet.
        await Sh.RunAsync("ip", ["netns", "del", ns.Name]);
        await Sh.RunAsync("ip", ["netns", "add", ns.Name]);
        var fresh = await backend.ApplyTableAsync(ns.Ref, Sample());
        Assert.Equal(ApplyOutcome.Committed, fresh.Outcome);
        Assert.Equal(NftText.Write(Sample()), await ListAsync(ns.Name));
        Assert.Equal(2, backend.KeptSockets);

        var idle = System.Diagnostics.Stopwatch.StartNew();
        while (backend.KeptSockets > 0 && idle.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, backend.KeptSockets);
        Assert.Equal(ApplyOutcome.Unchanged, (await backend.ApplyTableAsync(ns.Ref, Sample())).Outcome);
    }

    [PrivilegedFact]
    public async Task Five_thousand_dual_stack_peers_fit_through_split_element_messages_and_a_grown_send_buffer()
    {
        await using var ns = await TestNetns.CreateAsync();
        var peers = Enumerable.Range(0, 5000)
            .SelectMany(i => new[] { new PeerMatch(new IPNetwork(new IPAddress([10, (byte)(i >> 8), (byte)(i & 0xff), 1]), 32), []), new PeerMatch(IPNetwork.Parse($"fd00::{i:x}:1/128"), []) })
            .ToImmutableArray();
        var table = Table(new Allowance(new RuleOrigin("x/big", Direction.Ingress, 0), false, peers, true, []));

        var result = await new NftablesBackend(_executor).ApplyTableAsync(ns.Ref, table);

        Assert.True(result.BatchBytes > 212_992, $"batch of {result.BatchBytes} bytes does not exceed the default socket buffer");
        var json = await Sh.InNetnsAsync(ns.Name, "nft", "-j", "list", "set", "inet", "mnp", "ingress-net1-0-v4");
        Assert.Equal(5000, Regex.Count(json, "\"10\\.", RegexOptions.None));
        Assert.True((await new NftablesBackend(_executor).ReadTableAsync(ns.Ref)).Holds(table));
    }

    internal static NftTable Sample() => Table(new Allowance(new RuleOrigin("x/p", Direction.Ingress, 0), false,
        [new PeerMatch(IPNetwork.Parse("10.9.0.2/32"), []), new PeerMatch(IPNetwork.Parse("10.9.0.5/32"), []), new PeerMatch(IPNetwork.Parse("fd00::/64"), [IPNetwork.Parse("fd00::8/125")])], false,
        [new PortRange(Mnp.Policy.Cluster.Protocol.Tcp, 80, 80), new PortRange(Mnp.Policy.Cluster.Protocol.Tcp, 8080, 8090), new PortRange(Mnp.Policy.Cluster.Protocol.Udp, 53, 53)]));

    private static NftTable Table(Allowance allowance)
    {
        var ingress = new DirectionRules(true, ["x/p"], [allowance]);
        var rules = new InterfaceRules("net1", new Mnp.Policy.Cluster.NetworkRef("x", "n"), [], ingress, DirectionRules.Open);
        return NftRenderer.Render(new PodRules(null!, [rules]), PolicyOptions.Default)!;
    }

    internal static Task<string> ListAsync(string netns) => Sh.InNetnsAsync(netns, "nft", "list", "table", "inet", NftTable.OwnedName);

    /// <summary><c>nft -j list table inet mnp</c>, handles removed.</summary>
    internal static async Task<string> JsonAsync(string netns) =>
        Handles().Replace(await Sh.InNetnsAsync(netns, "nft", "-j", "list", "table", "inet", NftTable.OwnedName), "");

    [GeneratedRegex(@"""handle"": \d+,? ?")]
    private static partial Regex Handles();

    [GeneratedRegex(@"drop comment .* # handle (\d+)")]
    private static partial Regex HandleOfDrop();
}
