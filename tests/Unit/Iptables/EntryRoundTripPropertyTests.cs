using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

public sealed class EntryRoundTripPropertyTests
{
    [Theory]
    [InlineData(IpFamily.V4, 1)]
    [InlineData(IpFamily.V6, 2)]
    public void Any_valid_rule_survives_encode_then_decode(IpFamily family, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 3000; i++)
        {
            var rule = RandomRules.Next(random, family);

            var decoded = EntryDecoder.Decode(family, RuleEncoder.Encode(family, rule));

            Assert.True(rule.Equals(decoded.Rule), $"rule {i} (seed {seed}) did not round-trip: {decoded.Text}");
        }
    }
}
