using Mnp.Policy.Cluster;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Privileged.Rendering;

/// <summary>
/// Issue 7 items 1-3 against the real tools: interface names iptables treats specially (<c>n+</c>, quotes,
/// <c>!</c>, a flag), one that collided with a sub-chain name (<c>net1-1</c>) and policy names with line
/// breaks and quotes. We commit through libiptc (exact names); iptables-legacy-save of what the kernel then
/// holds must be what <c>mnp render</c> prints (except that render quotes a name holding <c>"</c>, which
/// save prints bare and restore would misread), and the kernel must hold each name exactly (mask over NUL).
/// </summary>
public sealed class HostileNameOracleTests : IDisposable
{
    private static readonly string[] Interfaces = ["n+", "net1", "net1-1", "a\"b", "x\\y", "!", "-j", "ñ+", "%0"];
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Render_equals_the_save_of_what_libiptc_committed_for_hostile_names()
    {
        var pod = HostilePod();
        await using var ns = await TestNetns.CreateAsync();
        var v4 = TableRenderer.Render(pod, IpFamily.V4, PolicyOptions.Default);
        var v6 = TableRenderer.Render(pod, IpFamily.V6, PolicyOptions.Default);
        Assert.Empty(RuleValidator.Validate(v4));

        var result = await new IptablesBackend(_executor).ApplyTablesAsync(ns.Ref, v4, v6);

        Assert.Equal(ApplyOutcome.Committed, result.V4.Outcome);
        foreach (var (family, table) in new[] { (IpFamily.V4, v4), (IpFamily.V6, v6) })
        {
            var rendered = IptablesSaveWriter.Write(table).TrimEnd('\n');
            Assert.Contains("-i \"a\\\"b\"", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("ACCEPT\n-A INPUT -j ACCEPT", rendered, StringComparison.Ordinal);
            var saved = await Sh.SaveAsync(ns.Name, family);
            Assert.Equal(rendered.Replace("\"a\\\"b\"", "a\"b", StringComparison.Ordinal), saved);
        }

        var entries = await RawEntries.ReadAsync(_executor, ns, IpFamily.V4);
        var input = entries.Where(e => e.Chain == "INPUT").Select(e => EntryDecoder.Decode(IpFamily.V4, e.Entry, "MNP-IN-any")).ToList();
        // Decoded as a model rule only when the mask covers the NUL: every name is held exactly, + names last.
        Assert.Equal(Interfaces.Order(StringComparer.Ordinal).Where(n => !n.EndsWith('+')).Concat(["ñ+", "n+"]), input.Select(d => d.Rule!.InInterface));
    }

    /// <summary>Every interface ingress-isolated with one hostile-named allowance; n+ and ñ+ allow everything.</summary>
    private static PodRules HostilePod()
    {
        var network = new NetworkRef("x", "n");
        var rules = Interfaces.Select(name =>
        {
            var open = name.EndsWith('+');
            var allowance = new Allowance(new RuleOrigin($"x/p\n-A INPUT -j ACCEPT \"{name}\"", Direction.Ingress, 0), open, open ? [] : [new PeerMatch(IPNetwork.Parse("10.9.0.0/16"), [IPNetwork.Parse("10.9.1.0/24")]), new PeerMatch(IPNetwork.Parse("fd00::/64"), [])], open, open ? [] : [new PortRange(Protocol.Tcp, 80, 80)]);
            return new InterfaceRules(name, network, [], new DirectionRules(true, ["x/p"], [allowance]), DirectionRules.Open);
        });
        return new PodRules(null!, [.. rules]);
    }
}
