using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Operations;

/// <summary>
/// Reads the policy rules a rule's comment names: <c>NS/POLICY ingress[2]</c> (iptables, and an nftables rule of one
/// allowance) or a merged nftables rule's <c>ns/a ingress[0-2,5], ns/b ingress[1], +3 more</c>. Anything else (our own
/// <c>mnp: …</c> comments, a comment cut inside an entry, a foreign text) names nothing.
/// </summary>
public static partial class OriginComment
{
    /// <summary>More rules than any policy has: a range this long is not one of our comments.</summary>
    private const int MaxRulesPerEntry = 10_000;

    /// <summary>The named rules in comment order, and how many policies the comment says it left out; null when it is not an origin list.</summary>
    public static (ImmutableArray<RuleOrigin> Origins, int More)? Parse(string comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var entries = comment.Split(", ");
        var more = 0;
        if (entries.Length > 1 && MorePattern().Match(entries[^1]) is { Success: true } tail)
        {
            more = int.Parse(tail.Groups["count"].Value, CultureInfo.InvariantCulture);
            entries = entries[..^1];
        }

        var origins = ImmutableArray.CreateBuilder<RuleOrigin>();
        foreach (var entry in entries)
        {
            if (EntryPattern().Match(entry) is not { Success: true } match || !AddRules(match, origins))
            {
                return null;
            }
        }

        return (origins.ToImmutable(), more);
    }

    private static bool AddRules(Match entry, ImmutableArray<RuleOrigin>.Builder into)
    {
        var direction = entry.Groups["direction"].Value == "ingress" ? Direction.Ingress : Direction.Egress;
        foreach (var part in entry.Groups["rules"].Value.Split(','))
        {
            var bounds = part.Split('-');
            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
            if (last < first || last - first >= MaxRulesPerEntry)
            {
                return false;
            }

            for (var rule = first; rule <= last; rule++)
            {
                into.Add(new RuleOrigin(entry.Groups["policy"].Value, direction, rule));
            }
        }

        return true;
    }

    [GeneratedRegex(@"^(?<policy>\S+) (?<direction>ingress|egress)\[(?<rules>\d{1,9}(-\d{1,9})?(,\d{1,9}(-\d{1,9})?)*)\]$")]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"^\+(?<count>\d{1,9}) more$")]
    private static partial Regex MorePattern();
}
