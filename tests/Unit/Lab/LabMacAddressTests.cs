using Mnp.Agent.Lab;
using Mnp.Policy.Cluster;

namespace Mnp.Tests.Unit.Lab;

public sealed class LabMacAddressTests
{
    private static readonly NetworkRef Net1 = new("x", "net1");

    private static LabInterface Interface(params string[] addresses) =>
        new(Net1, "net1", [.. addresses.Select(a => LabAddress.TryParse(a, null, out var v) ? v : throw new FormatException(a))], null);

    [Fact]
    public void Same_network_and_address_give_the_same_locally_administered_unicast_mac()
    {
        var first = LabMacAddress.For(Net1, "x/b", Interface("10.1.0.3/24", "fd01::3/64"));
        var again = LabMacAddress.For(Net1, "x/c", Interface("10.1.0.3/24"));

        Assert.Equal(first, again);
        Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", first);
        var bytes = LabMacAddress.Bytes(first);
        Assert.Equal(6, bytes.Length);
        Assert.Equal(0x02, bytes[0] & 0x03);
    }

    [Fact]
    public void Different_addresses_networks_or_unaddressed_pods_give_different_macs()
    {
        var macs = new[]
        {
            LabMacAddress.For(Net1, "x/a", Interface("10.1.0.2/24")),
            LabMacAddress.For(Net1, "x/a", Interface("10.1.0.3/24")),
            LabMacAddress.For(new NetworkRef("x", "net2"), "x/a", Interface("10.1.0.2/24")),
            LabMacAddress.For(Net1, "x/a", Interface()),
            LabMacAddress.For(Net1, "x/b", Interface()),
        };
        Assert.Equal(macs.Length, macs.Distinct().Count());
    }
}
