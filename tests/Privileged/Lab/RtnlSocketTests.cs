using System.Net;
using System.Text.Json;
using Mnp.Native.Netns;
using Mnp.Native.Rtnetlink;
using Xunit;

namespace Mnp.Tests.Privileged.Lab;

public sealed class RtnlSocketTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    private readonly NamedNetns _namespaces = new();

    [LabFact]
    public async Task Dumps_equal_what_ip_json_shows_in_the_namespace()
    {
        var name = $"mnptest-rtnl-{Guid.NewGuid():N}"[..24];
        var netns = _namespaces.Create(name);
        try
        {
            using var socket = await RtnlSocket.OpenAsync(fixture.Executor, netns);
            socket.SetUp(socket.GetLink("lo").Index, "lo");
            socket.CreateVeth("va", "vb");
            socket.CreateMacvlan("mv0", socket.GetLink("va").Index);
            foreach (var link in new[] { "va", "vb", "mv0" })
            {
                socket.SetUp(socket.GetLink(link).Index, link);
            }

            var va = socket.GetLink("va");
            socket.AddAddress(va.Index, "va", IPAddress.Parse("10.66.0.1"), 24);
            socket.AddAddress(va.Index, "va", IPAddress.Parse("fd66::1"), 64);
            socket.Rename(socket.GetLink("mv0").Index, "mv0", "net1");

            var links = socket.DumpLinks().OrderBy(l => l.Index).ToList();
            var ipLinks = (await HostTools.IpJsonAsync("-n", name, "-d", "link")).EnumerateArray().OrderBy(l => l.GetProperty("ifindex").GetInt32()).ToList();
            Assert.Equal(ipLinks.Select(l => l.GetProperty("ifname").GetString()), links.Select(l => l.Name));
            Assert.Equal(ipLinks.Select(l => l.GetProperty("ifindex").GetInt32()), links.Select(l => l.Index));
            Assert.Equal(ipLinks.Select(l => l.GetProperty("mtu").GetInt32()), links.Select(l => l.Mtu));
            Assert.Equal(ipLinks.Select(l => l.GetProperty("address").GetString()), links.Select(l => l.Mac));
            Assert.Equal(ipLinks.Select(l => l.GetProperty("operstate").GetString()), links.Select(l => OperStateText(l.OperState)));
            Assert.Equal(ipLinks.Select(Kind), links.Select(l => l.Kind));
            Assert.Equal(["lo", "vb", "va", "net1"], links.Select(l => l.Name));
            Assert.Equal("macvlan", links[3].Kind);

            var addresses = socket.DumpAddresses().Select(a => $"{a.InterfaceIndex} {a.Address}/{a.PrefixLength} {a.Scope}").Order(StringComparer.Ordinal);
            var ipAddresses = (await HostTools.IpJsonAsync("-n", name, "addr")).EnumerateArray()
                .SelectMany(l => l.GetProperty("addr_info").EnumerateArray().Select(a =>
                    $"{l.GetProperty("ifindex").GetInt32()} {a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()} {Scope(a.GetProperty("scope").GetString())}"))
                .Order(StringComparer.Ordinal);
            Assert.Equal(ipAddresses, addresses);
            Assert.Contains($"{va.Index} fd66::1/64 0", addresses);

            // nodad: the IPv6 address is not tentative.
            var vaJson = (await HostTools.IpJsonAsync("-n", name, "addr", "show", "dev", "va"))[0];
            var v6 = vaJson.GetProperty("addr_info").EnumerateArray().Single(a => a.GetProperty("local").GetString() == "fd66::1");
            Assert.False(v6.TryGetProperty("tentative", out _));

            var duplicate = Assert.Throws<RtnetlinkException>(() => socket.CreateVeth("va", "vc"));
            Assert.Equal(17, duplicate.Errno);
            Assert.Contains("create veth va/vc", duplicate.Message, StringComparison.Ordinal);
            Assert.Contains(name, duplicate.Message, StringComparison.Ordinal);

            socket.DeleteLink(socket.GetLink("net1").Index, "net1");
            Assert.DoesNotContain(socket.DumpLinks(), l => l.Name == "net1");
            var missing = Assert.Throws<RtnetlinkException>(() => socket.GetLink("net1"));
            Assert.Equal(19, missing.Errno); // ENODEV
        }
        finally
        {
            _namespaces.Delete(name);
        }
    }

    [LabFact]
    public async Task A_link_moved_into_another_namespace_leaves_this_one()
    {
        var from = $"mnptest-mvA-{Guid.NewGuid():N}"[..24];
        var to = $"mnptest-mvB-{Guid.NewGuid():N}"[..24];
        var fromRef = _namespaces.Create(from);
        var toRef = _namespaces.Create(to);
        try
        {
            using var source = await RtnlSocket.OpenAsync(fixture.Executor, fromRef);
            using var target = await RtnlSocket.OpenAsync(fixture.Executor, toRef);
            source.CreateVeth("p0", "p1");
            source.MoveToNamespace(source.GetLink("p1").Index, "p1", toRef);

            Assert.DoesNotContain(source.DumpLinks(), l => l.Name == "p1");
            var moved = target.GetLink("p1");
            Assert.Equal("veth", moved.Kind);
            var ipLinks = (await HostTools.IpJsonAsync("-n", to, "link")).EnumerateArray().Select(l => l.GetProperty("ifname").GetString());
            Assert.Contains("p1", ipLinks);
        }
        finally
        {
            _namespaces.Delete(from);
            _namespaces.Delete(to);
        }
    }

    private static string? Kind(JsonElement link) =>
        link.TryGetProperty("linkinfo", out var info) && info.TryGetProperty("info_kind", out var kind) ? kind.GetString() : null;

    private static string OperStateText(LinkOperState state) => state switch
    {
        LinkOperState.Up => "UP",
        LinkOperState.Down => "DOWN",
        LinkOperState.LowerLayerDown => "LOWERLAYERDOWN",
        LinkOperState.Dormant => "DORMANT",
        LinkOperState.NotPresent => "NOTPRESENT",
        LinkOperState.Testing => "TESTING",
        _ => "UNKNOWN",
    };

    private static int Scope(string? text) => text switch
    {
        "global" => 0,
        "link" => 253,
        "host" => 254,
        _ => -1,
    };
}
