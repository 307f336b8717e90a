using FsCheck.Xunit;
using Mnp.Native.Iptables;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Rendering;

/// <summary>
/// Hostile interface and policy names against chain naming and the restore text (issue 7 items 2 and 3):
/// chain names never collide and never need quoting; every rendered line reads back, through iptables-restore's
/// own tokenizing, as exactly the arguments of the model's rule, so no name adds a line, a flag or a word.
/// </summary>
public sealed class HostileRenderProperties
{
    private static readonly NetworkRef Network = new("x", "n");

    [Property(MaxTest = 400)]
    public bool Chain_names_are_distinct_short_and_plain_for_any_interface_names(int seed)
    {
        var random = new Random(seed);
        var names = Enumerable.Range(0, random.Next(1, 7)).Select(_ => HostileText.Next(random, 8)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var chains = new List<string>();
        for (var index = 0; index < names.Count; index++)
        {
            foreach (var tag in new[] { ChainNaming.IngressTag, ChainNaming.EgressTag })
            {
                chains.Add(ChainNaming.For(tag, names[index], index));
                foreach (var sub in new[] { 1, 2, 9, 10, 11, 99, 100, random.Next(1, 100_000) })
                {
                    chains.Add(ChainNaming.For(tag, names[index], index, sub));
                    chains.Add(ChainNaming.For(tag, names[index], index, sub, 1));
                    chains.Add(ChainNaming.For(tag, names[index], index, sub, random.Next(1, 10_000)));
                }
            }
        }

        chains = [.. chains.Distinct(StringComparer.Ordinal)];
        return chains.All(c => c.Length <= ChainNames.MaxLength && c.StartsWith(ChainNames.OwnedPrefix, StringComparison.Ordinal)
                && c.All(ch => ch is '.' or '_' or '-' or '/' or '%' || char.IsAsciiLetterOrDigit(ch)))
            && NoTwoTriplesShareAName(names) && chains.Count > 0;
    }

    /// <summary>Every (direction, interface, sub-chain, except chain) gets a name no other triple has.</summary>
    private static bool NoTwoTriplesShareAName(List<string> names)
    {
        var triples = new HashSet<(string Tag, int Index, int Sub, int Except)>();
        var byName = new Dictionary<string, (string, int, int, int)>(StringComparer.Ordinal);
        for (var index = 0; index < names.Count; index++)
        {
            foreach (var tag in new[] { ChainNaming.IngressTag, ChainNaming.EgressTag })
            {
                foreach (var (sub, except) in new[] { (0, 0), (1, 0), (1, 1), (12, 0), (12, 345), (54_321, 0), (54_321, 9_999) })
                {
                    var triple = (tag, index, sub, except);
                    triples.Add(triple);
                    if (byName.TryGetValue(ChainNaming.For(tag, names[index], index, sub, except), out var other) && other != triple)
                    {
                        return false;
                    }

                    byName[ChainNaming.For(tag, names[index], index, sub, except)] = triple;
                }
            }
        }

        return byName.Count == triples.Count;
    }

    [Fact]
    public void Net1_and_net1_dash_1_on_one_pod_no_longer_share_a_chain()
    {
        var pod = Pod([("net1", true), ("net1-1", true)], new Random(1), "x/p");

        var table = TableRenderer.Render(pod, IpFamily.V4, PolicyOptions.Default);

        var names = table.Chains.Select(c => c.Name).ToList();
        Assert.Contains("MNP-IN-net1/1", names);
        Assert.Contains("MNP-IN-net1-1", names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(RuleValidator.Validate(table));
    }

    [Property(MaxTest = 250)]
    public bool Hostile_names_never_change_the_lines_or_the_arguments_of_the_restore_text(int seed)
    {
        var random = new Random(seed);
        var interfaces = Enumerable.Range(0, random.Next(1, 5)).Select(_ => HostileText.NextInterfaceName(random)).Distinct(StringComparer.Ordinal)
            .Select(n => (n, random.Next(2) == 0)).ToList();
        var pod = Pod(interfaces, random, HostileText.Next(random, 10));
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var table = TableRenderer.Render(pod, family, PolicyOptions.Default);
            if (!RuleValidator.Validate(table).IsEmpty || !ReadsBackExactly(table))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each line is a header, a chain, a rule or COMMIT; each rule line tokenizes to the model rule's own arguments.</summary>
    private static bool ReadsBackExactly(NetfilterTable table)
    {
        var lines = IptablesSaveWriter.Write(table).Split('\n');
        var userChains = table.Chains.Count(c => !c.IsBuiltin);
        var ruleCount = table.Chains.Sum(c => c.Rules.Length);
        if (lines.Count(l => l.StartsWith(':')) != userChains + ChainNames.BuiltinsOf(table.Name).Length
            || lines.Count(l => l.StartsWith("-A ", StringComparison.Ordinal)) != ruleCount
            || lines.Length != 1 + userChains + ChainNames.BuiltinsOf(table.Name).Length + ruleCount + 2)
        {
            return false;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.StartsWith("-A ", StringComparison.Ordinal)))
        {
            var words = RestoreTokenizer.Split(line);
            var chain = table.Chains.Single(c => c.Name == words[1]);
            var index = seen[chain.Name] = seen.GetValueOrDefault(chain.Name) + 1;
            var rule = chain.Rules[index - 1];
            var benign = RestoreTokenizer.Split(IptablesSaveWriter.FormatRule(
                rule with { InInterface = rule.InInterface is null ? null : "i", OutInterface = rule.OutInterface is null ? null : "o", Comment = rule.Comment is null ? null : "c" },
                table.Family));
            var hostile = words.Skip(2).ToList();
            if (hostile.Count != benign.Count)
            {
                return false;
            }

            for (var i = 0; i < hostile.Count; i++)
            {
                var expected = i > 0 && benign[i - 1] == "-i" ? rule.InInterface
                    : i > 0 && benign[i - 1] == "-o" ? rule.OutInterface
                    : i > 0 && benign[i - 1] == "--comment" ? rule.Comment
                    : benign[i];
                if (hostile[i] != expected)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static PodRules Pod(IEnumerable<(string Name, bool Ingress)> interfaces, Random random, string policy)
    {
        var rules = interfaces.Select(i =>
        {
            var allowances = Enumerable.Range(0, random.Next(1, 4)).Select(k => Allowance(random, $"{policy}{k}", i.Ingress ? Direction.Ingress : Direction.Egress)).ToImmutableArray();
            var isolated = new DirectionRules(true, [policy], allowances);
            return new InterfaceRules(i.Name, Network, [], i.Ingress ? isolated : DirectionRules.Open, i.Ingress ? DirectionRules.Open : isolated);
        });
        return new PodRules(null!, [.. rules]);
    }

    private static Allowance Allowance(Random random, string policy, Direction direction)
    {
        PeerMatch[] peers =
        [
            new(IPNetwork.Parse("10.1.0.0/16"), [IPNetwork.Parse("10.1.2.0/24")]),
            new(IPNetwork.Parse("10.9.9.9/32"), []),
            new(IPNetwork.Parse("fd00::/64"), []),
        ];
        return new Allowance(new RuleOrigin(policy, direction, random.Next(0, 3)), random.Next(3) == 0, [.. peers.Take(random.Next(0, 4))],
            random.Next(3) == 0, [new PortRange(Protocol.Tcp, 80, 80), new PortRange(Protocol.Udp, 1000, 2000)]);
    }
}
