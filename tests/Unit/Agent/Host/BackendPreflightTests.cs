using Mnp.Agent.Host;

namespace Mnp.Tests.Unit.Agent.Host;

public sealed class BackendPreflightTests
{
    [Fact]
    public void Iptables_on_a_kernel_without_the_legacy_tables_is_one_line_naming_the_module_and_the_other_backend()
    {
        var e = Assert.Throws<AgentStartException>(() => BackendPreflight.Check(nftables: false, legacyTables: false, () => null));

        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("--backend iptables", e.Message, StringComparison.Ordinal);
        Assert.Contains("modprobe ip_tables", e.Message, StringComparison.Ordinal);
        Assert.Contains("--backend nftables", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nftables_that_does_not_answer_is_one_line_with_the_kernels_reason()
    {
        var e = Assert.Throws<AgentStartException>(() => BackendPreflight.Check(nftables: true, legacyTables: true, () => "EOPNOTSUPP (95): Operation not supported"));

        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("EOPNOTSUPP", e.Message, StringComparison.Ordinal);
        Assert.Contains("modprobe nf_tables", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_kernel_with_what_the_backend_needs_passes(bool nftables, bool legacyTables)
    {
        var probed = false;
        BackendPreflight.Check(nftables, legacyTables, () =>
        {
            probed = true;
            return null;
        });

        Assert.Equal(nftables, probed);
    }
}
