using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

public sealed class EntryScrubberTests
{
    [Theory]
    [InlineData(IpFamily.V4)]
    [InlineData(IpFamily.V6)]
    public void Leftover_name_bytes_comefrom_and_counters_are_zeroed_and_nothing_else(IpFamily family)
    {
        var layout = EntryLayout.For(family);
        var clean = RuleEncoder.Encode(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(80, 80)], Comment = "c" });
        var dirty = (byte[])clean.Clone();
        dirty.AsSpan(layout.Comefrom, layout.Size - layout.Comefrom).Fill(0x5A);
        dirty.AsSpan(layout.Size + 2 + 4, 20).Fill(0x7F);           // after "tcp\0"
        dirty.AsSpan(layout.Size + 48 + 2 + 8, 20).Fill(0x7F);      // after "comment\0"
        dirty.AsSpan(clean.Length - 40 + 2 + 7, 20).Fill(0x7F);     // after "ACCEPT\0"

        EntryScrubber.ScrubInPlace(layout, dirty);

        Assert.Equal(clean, dirty);
    }
}
