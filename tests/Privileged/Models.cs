namespace Mnp.Tests.Privileged;

/// <summary>
/// Table models covering every match and target, with the iptables-legacy-save lines they must produce.
/// The expected text is written by hand here; once IptablesSaveWriter (the renderer) lands, compare with
/// its rendering of the same model instead.
/// </summary>
internal static class Models
{
    public static NetfilterTable AllMatchesV4 { get; } = new(IpFamily.V4, "filter",
    [
        new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-A")) { InInterface = "net1" }]),
        new NetfilterChain("OUTPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-B")), new NetfilterRule(RuleTarget.JumpTo("MNP-A"))]),
        new NetfilterChain("MNP-A",
        [
            new NetfilterRule(RuleTarget.Accept)
            {
                Source = IPNetwork.Parse("10.1.0.0/16"),
                Destination = IPNetwork.Parse("10.2.3.0/24"),
                InInterface = "net1",
                OutInterface = "veth9",
                Protocol = NetfilterProtocol.Tcp,
                CtState = ConntrackStates.New,
                DestinationPorts = [(8000, 8080)],
                Comment = "a b",
            },
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Icmp, Icmp = new IcmpTypeMatch(8) },
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Icmp, Icmp = new IcmpTypeMatch(3, 1, 1) },
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Sctp, DestinationPorts = [(5000, 5000)] },
            new NetfilterRule(RuleTarget.Return) { Protocol = NetfilterProtocol.Udp, DestinationPorts = [(80, 80), (443, 443), (9000, 9100)], Comment = "plain" },
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Udp, DestinationPorts = [(53, 53)] },
            new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.Related | ConntrackStates.Established },
            new NetfilterRule(RuleTarget.Drop) { CtState = ConntrackStates.Invalid },
            new NetfilterRule(RuleTarget.JumpTo("MNP-B")) { Source = IPNetwork.Parse("192.168.7.1/32") },
        ]),
        new NetfilterChain("MNP-B", [new NetfilterRule(RuleTarget.Drop)]),
    ]);

    public static string[] AllMatchesV4Lines { get; } =
    [
        ":MNP-A - [0:0]",
        ":MNP-B - [0:0]",
        "-A INPUT -i net1 -j MNP-A",
        "-A OUTPUT -j MNP-B",
        "-A OUTPUT -j MNP-A",
        "-A MNP-A -s 10.1.0.0/16 -d 10.2.3.0/24 -i net1 -o veth9 -p tcp -m conntrack --ctstate NEW -m tcp --dport 8000:8080 -m comment --comment \"a b\" -j ACCEPT",
        "-A MNP-A -p icmp -m icmp --icmp-type 8 -j ACCEPT",
        "-A MNP-A -p icmp -m icmp --icmp-type 3/1 -j ACCEPT",
        "-A MNP-A -p sctp -m multiport --dports 5000 -j ACCEPT",
        "-A MNP-A -p udp -m multiport --dports 80,443,9000:9100 -m comment --comment plain -j RETURN",
        "-A MNP-A -p udp -m udp --dport 53 -j ACCEPT",
        "-A MNP-A -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "-A MNP-A -m conntrack --ctstate INVALID -j DROP",
        "-A MNP-A -s 192.168.7.1/32 -j MNP-B",
        "-A MNP-B -j DROP",
    ];

    public static NetfilterTable AllMatchesV6 { get; } = new(IpFamily.V6, "filter",
    [
        new NetfilterChain("FORWARD", [new NetfilterRule(RuleTarget.JumpTo("MNP-6")) { OutInterface = "net2" }]),
        new NetfilterChain("MNP-6",
        [
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.IcmpV6, Icmp = new IcmpTypeMatch(135) },
            new NetfilterRule(RuleTarget.Drop) { Source = IPNetwork.Parse("fd00:10::/64"), Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(22, 22)] },
            new NetfilterRule(RuleTarget.Accept)
            {
                Destination = IPNetwork.Parse("2001:db8::1/128"),
                Protocol = NetfilterProtocol.Tcp,
                CtState = ConntrackStates.New,
                DestinationPorts = [(80, 80), (443, 443)],
                Comment = "policy ns/p",
            },
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Sctp, DestinationPorts = [(7000, 7010)] },
            new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.Related | ConntrackStates.Established },
            new NetfilterRule(RuleTarget.Return),
        ]),
    ]);

    public static string[] AllMatchesV6Lines { get; } =
    [
        ":MNP-6 - [0:0]",
        "-A FORWARD -o net2 -j MNP-6",
        "-A MNP-6 -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT",
        "-A MNP-6 -s fd00:10::/64 -p tcp -m tcp --dport 22 -j DROP",
        "-A MNP-6 -d 2001:db8::1/128 -p tcp -m conntrack --ctstate NEW -m multiport --dports 80,443 -m comment --comment \"policy ns/p\" -j ACCEPT",
        "-A MNP-6 -p sctp -m multiport --dports 7000:7010 -j ACCEPT",
        "-A MNP-6 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "-A MNP-6 -j RETURN",
    ];

    /// <summary>The restore text iptables-legacy-restore must turn into the same kernel table.</summary>
    public static string RestoreText(string[] lines) => "*filter\n" + string.Join('\n', lines) + "\nCOMMIT\n";

    /// <summary>A smaller, different model to replace the first one with.</summary>
    public static NetfilterTable ReplacementV4 { get; } = new(IpFamily.V4, "filter",
    [
        new NetfilterChain("FORWARD", [new NetfilterRule(RuleTarget.JumpTo("MNP-C"))]),
        new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Drop) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(22, 22)] }]),
        new NetfilterChain("MNP-C", [new NetfilterRule(RuleTarget.JumpTo("MNP-A")), new NetfilterRule(RuleTarget.Accept)]),
    ]);

    public static string[] ReplacementV4Lines { get; } =
    [
        ":MNP-A - [0:0]",
        ":MNP-C - [0:0]",
        "-A FORWARD -j MNP-C",
        "-A MNP-A -p tcp -m tcp --dport 22 -j DROP",
        "-A MNP-C -j MNP-A",
        "-A MNP-C -j ACCEPT",
    ];
}
