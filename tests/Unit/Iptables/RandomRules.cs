using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>Valid random rules for property tests (seeded, so failures reproduce).</summary>
internal static class RandomRules
{
    public static NetfilterRule Next(Random random, IpFamily family)
    {
        var protocol = random.Next(6) switch
        {
            0 => (NetfilterProtocol?)null,
            1 => NetfilterProtocol.Tcp,
            2 => NetfilterProtocol.Udp,
            3 => NetfilterProtocol.Sctp,
            _ => family == IpFamily.V4 ? NetfilterProtocol.Icmp : NetfilterProtocol.IcmpV6,
        };
        var rule = new NetfilterRule(Target(random))
        {
            Source = Maybe(random, () => Network(random, family)),
            Destination = Maybe(random, () => Network(random, family)),
            InInterface = Maybe(random, () => Interface(random)),
            OutInterface = Maybe(random, () => Interface(random)),
            Protocol = protocol,
            CtState = (ConntrackStates)random.Next(16),
            Comment = Maybe(random, () => new string('c', random.Next(0, 256))),
        };
        if (protocol is NetfilterProtocol.Tcp or NetfilterProtocol.Udp or NetfilterProtocol.Sctp && random.Next(3) > 0)
        {
            rule = rule with { DestinationPorts = Ports(random) };
        }

        if (protocol is NetfilterProtocol.Icmp or NetfilterProtocol.IcmpV6 && random.Next(2) > 0)
        {
            var low = (byte)random.Next(256);
            rule = rule with { Icmp = new IcmpTypeMatch((byte)random.Next(256), low, (byte)random.Next(low, 256)) };
        }

        return rule;
    }

    private static T? Maybe<T>(Random random, Func<T> make)
        where T : class => random.Next(2) == 0 ? null : make();

    private static IPNetwork? Maybe(Random random, Func<IPNetwork> make) => random.Next(2) == 0 ? null : make();

    private static RuleTarget Target(Random random) => random.Next(4) switch
    {
        0 => RuleTarget.Accept,
        1 => RuleTarget.Drop,
        2 => RuleTarget.Return,
        _ => RuleTarget.JumpTo("MNP-" + random.Next(100000)),
    };

    private static IPNetwork Network(Random random, IpFamily family)
    {
        var bytes = new byte[family == IpFamily.V4 ? 4 : 16];
        random.NextBytes(bytes);
        var prefix = random.Next(1, (bytes.Length * 8) + 1);
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    private static string Interface(Random random)
    {
        var name = "if" + random.Next(1000000);
        return random.Next(3) == 0 ? name + "+" : name;
    }

    private static ImmutableArray<(int From, int To)> Ports(Random random)
    {
        var ports = ImmutableArray.CreateBuilder<(int, int)>();
        var slots = random.Next(1, 16);
        while (slots > 0)
        {
            var from = random.Next(65536);
            var to = slots >= 2 && random.Next(2) == 0 ? random.Next(from, 65536) : from;
            slots -= from == to ? 1 : 2;
            ports.Add((from, to));
        }

        return ports.ToImmutable();
    }
}
