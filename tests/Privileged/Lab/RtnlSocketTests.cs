using System.Text.Json;
using Mnp.Native.Rtnetlink;

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

            // Carrier, operstate and IPv6 link-local addresses settle asynchronously (linkwatch) after links go up,
            // so both views are read again until they agree (or the last pair is compared).
            var (ours, theirs) = await SettledAsync(() => Task.FromResult(LinkRows(socket.DumpLinks())), async () => IpLinkRows(await HostTools.IpJsonAsync("-n", name, "-d", "link")));
            Assert.Equal(theirs, ours);
            Assert.Equal(["1 lo", "2 vb", "3 va", "4 net1"], ours.Select(r => string.Join(' ', r.Split(' ')[..2])));
            Assert.Contains("macvlan", ours[3], StringComparison.Ordinal);

            var (addresses, ipAddresses) = await SettledAsync(
                () => Task.FromResult(socket.DumpAddresses().Select(a => $"{a.InterfaceIndex} {a.Address}/{a.PrefixLength} {a.Scope}").Order(StringComparer.Ordinal).ToList()),
                async () => (await HostTools.IpJsonAsync("-n", name, "addr")).EnumerateArray()
                    .SelectMany(l => l.GetProperty("addr_info").EnumerateArray().Select(a =>
                        $"{l.GetProperty("ifindex").GetInt32()} {a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()} {Scope(a.GetProperty("scope").GetString())}"))
                    .Order(StringComparer.Ordinal).ToList());
            Assert.Equal(ipAddresses, addresses);
            Assert.Contains($"{va.Index} fd66::1/64 0", addresses);

            // nodad: the IPv6 address is not tentative.
            var vaJson = (await HostTools.IpJsonAsync("-n", name, "addr", "show", "dev", "va"))[0];
            var v6 = vaJson.GetProperty("addr_info").EnumerateArray().Single(a => a.GetProperty("local").GetString() == "fd66::1");
            Assert.False(v6.TryGetProperty("tentative", out _));

            var duplicate = Assert.Throws<RtnetlinkException>(() => socket.CreateVeth("va", "vc"));
            Assert.Equal(LinuxError.EEXIST, duplicate.Errno);
            Assert.Contains("create veth va/vc", duplicate.Message, StringComparison.Ordinal);
            Assert.Contains(name, duplicate.Message, StringComparison.Ordinal);

            socket.DeleteLink(socket.GetLink("net1").Index, "net1");
            Assert.DoesNotContain(socket.DumpLinks(), l => l.Name == "net1");
            var missing = Assert.Throws<RtnetlinkException>(() => socket.GetLink("net1"));
            Assert.Equal(LinuxError.ENODEV, missing.Errno);
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

    private static List<string> LinkRows(IEnumerable<LinkInfo> links) =>
        [.. links.OrderBy(l => l.Index).Select(l => $"{l.Index} {l.Name} {l.Mtu} {l.Mac} {OperStateText(l.OperState)} {l.Kind}")];

    private static List<string> IpLinkRows(JsonElement links) =>
        [.. links.EnumerateArray().OrderBy(l => l.GetProperty("ifindex").GetInt32()).Select(l =>
            $"{l.GetProperty("ifindex").GetInt32()} {l.GetProperty("ifname").GetString()} {l.GetProperty("mtu").GetInt32()} {l.GetProperty("address").GetString()} {l.GetProperty("operstate").GetString()} {Kind(l)}")];

    private static async Task<(List<string> Ours, List<string> Theirs)> SettledAsync(Func<Task<List<string>>> ours, Func<Task<List<string>>> theirs)
    {
        (List<string>, List<string>) last = ([], []);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            last = (await ours(), await theirs());
            if (last.Item1.SequenceEqual(last.Item2))
            {
                break;
            }

            await Task.Delay(100);
        }

        return last;
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
