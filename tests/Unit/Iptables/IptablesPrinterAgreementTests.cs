using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>
/// The two iptables text printers, the save writer (what <c>mnp render</c> prints) and the native reader's summary
/// (what read-back and drift reports print), say the same about one rule; they differed on ICMP code ranges.
/// </summary>
public sealed class IptablesPrinterAgreementTests
{
    [Theory]
    [InlineData(IpFamily.V4, 8, 0, 255, "--icmp-type 8 ")]
    [InlineData(IpFamily.V4, 3, 1, 1, "--icmp-type 3/1 ")]
    [InlineData(IpFamily.V4, 3, 0, 0, "--icmp-type 3/0 ")]
    [InlineData(IpFamily.V4, 3, 1, 4, "--icmp-type 3/1:4 ")]
    [InlineData(IpFamily.V6, 1, 0, 4, "--icmpv6-type 1/0:4 ")]
    [InlineData(IpFamily.V6, 1, 2, 255, "--icmpv6-type 1/2:255 ")]
    public void Icmp_codes_print_the_same_from_the_model_and_from_the_kernel_entry(IpFamily family, byte type, byte min, byte max, string expected)
    {
        var protocol = family == IpFamily.V4 ? NetfilterProtocol.Icmp : NetfilterProtocol.IcmpV6;
        var rule = new NetfilterRule(RuleTarget.Accept) { Protocol = protocol, Icmp = new IcmpTypeMatch(type, min, max) };

        var rendered = IptablesSaveWriter.FormatRule(rule, family);
        var read = EntryDecoder.Decode(family, RuleEncoder.Encode(family, rule)).Text;

        Assert.Contains(expected, rendered, StringComparison.Ordinal);
        Assert.Equal(rendered, read);
    }

    [Theory]
    [InlineData(IpFamily.V4, 11)]
    [InlineData(IpFamily.V6, 12)]
    public void Any_valid_icmp_rule_prints_the_same_from_both(IpFamily family, int seed)
    {
        var random = new Random(seed);
        var compared = 0;
        for (var i = 0; i < 3000; i++)
        {
            var rule = RandomRules.Next(random, family);
            if (rule.Icmp is null)
            {
                continue;
            }

            compared++;
            var read = EntryDecoder.Decode(family, RuleEncoder.Encode(family, rule)).Text;
            Assert.True(IptablesSaveWriter.FormatRule(rule, family) == read, $"rule {i} (seed {seed}): rendered '{IptablesSaveWriter.FormatRule(rule, family)}', read '{read}'");
        }

        Assert.True(compared > 100, $"only {compared} ICMP rules drawn");
    }
}
