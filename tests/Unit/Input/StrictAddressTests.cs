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

    [Theory]
    [InlineData("10.9.2")]
    [InlineData("010.9.0.2")]
    [InlineData("10.9.0.02")]
    [InlineData("0x0a.9.0.2")]
    [InlineData("167772162")]
    [InlineData("10.9.0.2 ")]
    [InlineData("[::1]")]
    [InlineData("::1%lo")]
    [InlineData(" ::1")]
    [InlineData("::ffff:010.1.1.1")]
    [InlineData("::ffff:10.1.1")]
    [InlineData("fd00::g")]
    [InlineData("")]
    public void Inet_aton_forms_brackets_and_zones_are_not_addresses(string text) => Assert.False(StrictAddress.TryParseAddress(text, out _));

    [Theory]
    [InlineData("10.9.0.2")]
    [InlineData("0.0.0.0")]
    [InlineData("fd00::1")]
    [InlineData("::")]
    [InlineData("::ffff:10.1.1.1")]
    [InlineData("FD00:0:0:0:0:0:0:1")]
    public void Strict_forms_are_addresses(string text) => Assert.True(StrictAddress.TryParseAddress(text, out _));

    /// <summary>Any text: accepted only when it prints back as the same address (no shorthand is ever read as another address).</summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool Hostile_numbers_are_read_as_themselves_or_not_at_all(int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["0", "1", "9", "10", "010", "255", "256", "4294967296", "99999999999999999999999999999", "0x1f", ".", ":", "::", "ff", "-1", "+1", " ", "%", "/", "e5"];
        var text = string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => pieces[random.Next(pieces.Length)]));
        return !StrictAddress.TryParseAddress(text, out var address)
            || address.ToString() == text
            || (text.Contains(':', StringComparison.Ordinal) && IPAddress.Parse(text).Equals(address));
    }
}
