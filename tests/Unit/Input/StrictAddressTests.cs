using FsCheck;
using FsCheck.Fluent;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

public sealed class StrictAddressTests
{
    [Theory]
    [InlineData("10.10.1.12/24", "10.10.1.0/24")]
    [InlineData("10.0.0.1/32", "10.0.0.1/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("255.255.255.255/1", "128.0.0.0/1")]
    [InlineData("fd00::1:2/112", "fd00::1:0/112")]
    [InlineData("fd00::1/127", "fd00::/127")]
    [InlineData("::/0", "::/0")]
    public void Cidrs_are_canonicalised(string text, string canonical)
    {
        Assert.Null(StrictAddress.TryParseCidr(text, out var network));
        Assert.Equal(IPNetwork.Parse(canonical), network);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0/8")]
    [InlineData("10/8")]
    [InlineData("010.0.0.0/8")]
    [InlineData("10.0.0.0/08")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.256/8")]
    [InlineData("fd00::/129")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData(" 10.0.0.0/8")]
    [InlineData("")]
    public void Malformed_cidrs_are_rejected(string text) => Assert.NotNull(StrictAddress.TryParseCidr(text, out _));

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", false)]
    [InlineData("11.0.0.0/24", "10.0.0.0/8", false)]
    [InlineData("10.0.0.0/7", "10.0.0.0/8", false)]
    [InlineData("::ffff:10.0.0.0/120", "10.0.0.0/8", false)]
    public void Except_must_be_strictly_inside_in_the_same_family(string inner, string outer, bool inside) =>
        Assert.Equal(inside, StrictAddress.IsStrictlyInside(IPNetwork.Parse(inner), IPNetwork.Parse(outer)));

    [FsCheck.Xunit.Property]
    public Property Canonical_cidr_contains_the_written_address_and_has_no_host_bits()
    {
        var gen = from bytes in Gen.ArrayOf(Gen.Choose(0, 255), 4)
                  from prefix in Gen.Choose(0, 32)
                  select (Address: string.Join('.', bytes), Prefix: prefix);
        return Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var error = StrictAddress.TryParseCidr($"{sample.Address}/{sample.Prefix}", out var network);
            return error is null
                && network.Contains(IPAddress.Parse(sample.Address))
                && network.PrefixLength == sample.Prefix
                && IPNetwork.TryParse(network.ToString(), out _);
        });
    }
}
