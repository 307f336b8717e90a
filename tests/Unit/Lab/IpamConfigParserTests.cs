using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Ipam;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

public sealed class IpamConfigParserTests
{
    [Fact]
    public void Host_local_subnet_skips_the_default_gateway_and_the_broadcast()
    {
        var config = IpamConfigParser.Parse(Nad("""{"type":"macvlan","ipam":{"type":"host-local","subnet":"10.1.2.0/24"}}"""));
        var range = Assert.Single(Assert.Single(config.RangeSets));
        Assert.Equal("10.1.2.1-10.1.2.254 in 10.1.2.0/24", range.ToString());
        Assert.True(range.IsExcluded(IPAddress.Parse("10.1.2.1")));

        var allocator = new IpamAllocator(config, "x/net1");
        Assert.Equal(["10.1.2.2/24"], allocator.Allocate("x/a").Select(a => a.ToString()));
        Assert.Equal(["10.1.2.3/24"], allocator.Allocate("x/b").Select(a => a.ToString()));
    }

    [Fact]
    public void Host_local_ranges_give_one_address_per_set_with_start_end_and_gateway()
    {
        var config = IpamConfigParser.Parse(Nad("""
            {"cniVersion":"0.4.0","plugins":[{"type":"macvlan","ipam":{"type":"host-local","ranges":[
              [{"subnet":"10.5.0.0/16","rangeStart":"10.5.1.10","rangeEnd":"10.5.1.11","gateway":"10.5.1.10"}],
              [{"subnet":"fd05::/64"}]]}}]}
            """));
        var allocator = new IpamAllocator(config, "x/net1");
        Assert.Equal(["10.5.1.11/16", "fd05::2/64"], allocator.Allocate("x/a").Select(a => a.ToString()));
        var error = Assert.Throws<LabException>(() => allocator.Allocate("x/b"));
        Assert.StartsWith("Pod x/b: network x/net1: no free address left in ipam range set 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whereabouts_range_starts_at_a_non_aligned_address_and_honours_exclude_and_ip_ranges()
    {
        var config = IpamConfigParser.Parse(Nad("""
            {"type":"macvlan","ipam":{"type":"whereabouts","range":"192.168.2.225/28","exclude":["192.168.2.226/32"],
             "ipRanges":[{"range":"fd10::/120","range_start":"fd10::10","range_end":"fd10::20"}]}}
            """));
        var allocator = new IpamAllocator(config, "x/net1");
        Assert.Equal(["192.168.2.225/28", "fd10::10/120"], allocator.Allocate("x/a").Select(a => a.ToString()));
        Assert.Equal(["192.168.2.227/28", "fd10::11/120"], allocator.Allocate("x/b").Select(a => a.ToString()));
    }

    [Fact]
    public void Whereabouts_dash_form_limits_the_range()
    {
        var config = IpamConfigParser.Parse(Nad("""{"type":"macvlan","ipam":{"type":"whereabouts","range":"10.9.0.50-10.9.0.51/24"}}"""));
        Assert.Equal("10.9.0.50-10.9.0.51 in 10.9.0.0/24", Assert.Single(config.AllRanges).ToString());
    }

    [Fact]
    public void Static_addresses_go_to_every_interface()
    {
        var config = IpamConfigParser.Parse(Nad("""{"type":"macvlan","ipam":{"type":"static","addresses":[{"address":"10.3.0.7/24"},{"address":"fd03::7/64"}]}}"""));
        Assert.Equal(["10.3.0.7/24", "fd03::7/64"], new IpamAllocator(config, "x/net1").Allocate("x/a").Select(a => a.ToString()));
    }

    [Fact]
    public void No_ipam_or_an_empty_one_allocates_nothing_and_an_unknown_type_asks_for_ips()
    {
        Assert.Empty(new IpamAllocator(IpamConfigParser.Parse(Nad("""{"type":"macvlan"}""")), "x/net1").Allocate("x/a"));
        Assert.Empty(new IpamAllocator(IpamConfigParser.Parse(Nad("""{"type":"macvlan","ipam":{}}""")), "x/net1").Allocate("x/a"));
        var dhcp = IpamConfigParser.Parse(Nad("""{"type":"macvlan","ipam":{"type":"dhcp"}}"""));
        var error = Assert.Throws<LabException>(() => new IpamAllocator(dhcp, "x/net1").Allocate("x/a"));
        Assert.Equal("Pod x/a: network x/net1: ipam type dhcp cannot allocate in the lab; give the address in the networks annotation's ips", error.Message);
    }

    [Theory]
    [InlineData("""{"ipam":{"type":"host-local","subnet":"10.0.0.0"}}""", "spec.config.ipam.subnet: '10.0.0.0' is not a CIDR")]
    [InlineData("""{"ipam":{"type":"host-local","subnet":"10.0.0.0/24","rangeStart":"10.0.1.5"}}""", "spec.config.ipam: range start 10.0.1.5 is outside 10.0.0.0/24")]
    [InlineData("""{"ipam":{"type":"host-local","ranges":[[{"subnet":"10.0.0.0/32"}]]}}""", "spec.config.ipam.ranges[0][0]: subnet 10.0.0.0/32 is too small: no usable addresses (at most /30)")]
    [InlineData("""{"ipam":{"type":"host-local","subnet":"0.0.0.0/32"}}""", "spec.config.ipam: subnet 0.0.0.0/32 is too small: no usable addresses (at most /30)")]
    [InlineData("""{"ipam":{"type":"host-local","subnet":"10.9.0.4/31"}}""", "spec.config.ipam: subnet 10.9.0.4/31 is too small: no usable addresses (at most /30)")]
    [InlineData("""{"ipam":{"type":"whereabouts","range":"fd00::/128"}}""", "spec.config.ipam: subnet fd00::/128 is too small: no usable addresses (at most /127)")]
    [InlineData("""{"ipam":{"type":"host-local","ranges":[{"subnet":"10.0.0.0/24"}]}}""", "spec.config.ipam.ranges[0]: must be a list")]
    [InlineData("""{"ipam":{"type":"host-local","subnet":"10.0.0.0/24","rangeStart":"10.0.0.9","rangeEnd":"10.0.0.8"}}""", "spec.config.ipam: no usable addresses in 10.0.0.0/24 from 10.0.0.9 to 10.0.0.8")]
    [InlineData("""{"ipam":{"type":"static","addresses":[{"address":"10.0.0.1"}]}}""", "spec.config.ipam.addresses[0].address: '10.0.0.1' is not an address/prefix")]
    [InlineData("""{"ipam":{"type":"whereabouts","range":"fd00::/129"}}""", "spec.config.ipam.range: 'fd00::/129' is not a CIDR")]
    [InlineData("""{"ipam":""", "spec.config: not JSON")]
    public void Bad_ipam_is_one_line_naming_the_nad_and_the_field(string config, string expected)
    {
        var error = Assert.Throws<LabException>(() => IpamConfigParser.Parse(Nad(config)));
        Assert.StartsWith($"NetworkAttachmentDefinition x/net1: {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
