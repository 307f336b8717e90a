using Mnp.Native.Nftables;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Privileged.Nftables;

namespace Mnp.Tests.Privileged.Rendering;

/// <summary>
/// The custom-rules file's ICMP type/code entries through both backends into a fresh namespace: written, read back by
/// our reader as the rendered model, and listed by the real tools as we render them (iptables-legacy-save; nft list and
/// nft -j against the same text loaded by nft itself), so a code is neither lost nor widened to every code.
/// </summary>
public sealed class CustomRulesRoundTripTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    private static PolicyOptions Options => SaveWriterRoundTripTests.OptionsFor("custom-rules");

    private static PodRules Pod => SaveWriterRoundTripTests.Compile("custom-rules")[0];

    [PrivilegedFact]
    public async Task Icmp_codes_committed_by_libiptc_read_back_as_rendered_and_iptables_save_prints_them_as_we_do()
    {
        var v4 = TableRenderer.Render(Pod, IpFamily.V4, Options);
        var v6 = TableRenderer.Render(Pod, IpFamily.V6, Options);
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);

        await backend.ApplyTablesAsync(ns.Ref, v4, v6);
        var (read4, read6) = await backend.ReadTablesAsync(ns.Ref);
        var saved4 = await Sh.SaveAsync(ns.Name, IpFamily.V4);
        var saved6 = await Sh.SaveAsync(ns.Name, IpFamily.V6);
        var again = await backend.ApplyTablesAsync(ns.Ref, v4, v6);

        Assert.True(read4.Matches(v4), string.Join('\n', read4.Anomalies));
        Assert.True(read6.Matches(v6), string.Join('\n', read6.Anomalies));
        var rules4 = read4.Owned.Chains.SelectMany(c => c.Rules).ToList();
        Assert.Contains(rules4, r => r.Icmp == new IcmpTypeMatch(3, 4, 4));
        Assert.Contains(rules4, r => r.Icmp == new IcmpTypeMatch(11));
        Assert.DoesNotContain(rules4, r => r.Icmp == new IcmpTypeMatch(3));
        Assert.Contains(read6.Owned.Chains.SelectMany(c => c.Rules), r => r.Icmp == new IcmpTypeMatch(1, 4, 4));
        Assert.Equal(IptablesSaveWriter.Write(v4).TrimEnd('\n'), saved4);
        Assert.Equal(IptablesSaveWriter.Write(v6).TrimEnd('\n'), saved6);
        Assert.Contains("-p icmp -m icmp --icmp-type 3/4 -j ACCEPT", saved4, StringComparison.Ordinal);
        Assert.Contains("-p icmp -m icmp --icmp-type 5/1 -j ACCEPT", saved4, StringComparison.Ordinal);
        Assert.Contains("-p icmp -m icmp --icmp-type 11/1 -j ACCEPT", saved4, StringComparison.Ordinal);
        Assert.Contains("-p ipv6-icmp -m icmp6 --icmpv6-type 1/4 -j ACCEPT", saved6, StringComparison.Ordinal);
        Assert.Contains("-p ipv6-icmp -m icmp6 --icmpv6-type 4/0 -j ACCEPT", saved6, StringComparison.Ordinal);
        Assert.Equal((ApplyOutcome.Unchanged, ApplyOutcome.Unchanged), (again.V4.Outcome, again.V6.Outcome));
    }

    [PrivilegedFact]
    public async Task Icmp_codes_committed_over_netlink_read_back_as_rendered_and_nft_lists_them_as_it_does_its_own()
    {
        var table = NftRenderer.Render(Pod, Options)!;
        var text = NftText.Write(table);
        await using var ns = await TestNetns.CreateAsync();
        await using var oracle = await TestNetns.CreateAsync();
        var backend = new NftablesBackend(_executor);

        await backend.ApplyTableAsync(ns.Ref, table);
        await Sh.RunAsync("ip", ["netns", "exec", oracle.Name, "nft", "-f", "-"], text);
        var dump = await backend.ReadTableAsync(ns.Ref);
        var json = await NftablesBackendTests.JsonAsync(ns.Name);
        var again = await backend.ApplyTableAsync(ns.Ref, table);

        Assert.Contains("icmp type 3-3 icmp code 4-4 accept", text, StringComparison.Ordinal);
        Assert.Contains("icmp type 11-11 accept", text, StringComparison.Ordinal);
        Assert.Contains("icmpv6 type 1-1 icmpv6 code 4-4 accept", text, StringComparison.Ordinal);
        Assert.Contains("icmpv6 type 4-4 icmpv6 code 0-0 accept", text, StringComparison.Ordinal);
        Assert.Equal(text, await NftablesBackendTests.ListAsync(ns.Name));
        Assert.Equal(await NftablesBackendTests.JsonAsync(oracle.Name), json);
        Assert.Contains("\"field\": \"code\"", json, StringComparison.Ordinal);
        Assert.Empty(dump.Anomalies);
        Assert.Equal(table, dump.Table);
        Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);
    }
}
