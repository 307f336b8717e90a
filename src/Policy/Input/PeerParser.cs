using System.Text.Json;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Input;

/// <summary>Reads one entry of a rule's from/to list; an invalid peer is reported and dropped.</summary>
internal static class PeerParser
{
    private const string Ignored = "peer ignored";

    public static Peer? Read(JsonElement peer, string field, ProblemCollector problems)
    {
        if (peer.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"must be an object, not {Json.Describe(peer)}: {Ignored}");
            return null;
        }

        var hasPods = Json.TryGet(peer, "podSelector", out var podSelector);
        var hasNamespaces = Json.TryGet(peer, "namespaceSelector", out var namespaceSelector);
        var hasIpBlock = Json.TryGet(peer, "ipBlock", out var ipBlock);
        if (!hasPods && !hasNamespaces && !hasIpBlock)
        {
            problems.Add(field, $"empty peer: needs podSelector, namespaceSelector or ipBlock: {Ignored}");
            return null;
        }

        if (hasIpBlock && (hasPods || hasNamespaces))
        {
            problems.Add(field, $"ipBlock cannot be combined with podSelector or namespaceSelector: {Ignored}");
            return null;
        }

        return hasIpBlock
            ? ReadIpBlock(ipBlock, $"{field}.ipBlock", problems)
            : ReadPodPeer(hasPods ? podSelector : null, hasNamespaces ? namespaceSelector : null, field, problems);
    }

    private static PodPeer? ReadPodPeer(JsonElement? podSelector, JsonElement? namespaceSelector, string field, ProblemCollector problems)
    {
        var pods = podSelector is { } p ? LabelSelectorParser.Parse(p, $"{field}.podSelector", problems) : LabelSelector.Everything;
        var namespaces = namespaceSelector is { } n ? LabelSelectorParser.Parse(n, $"{field}.namespaceSelector", problems) : null;
        if (pods is null || (namespaceSelector is not null && namespaces is null))
        {
            problems.Add(field, $"invalid selector: {Ignored}");
            return null;
        }

        return new PodPeer(namespaces, pods);
    }

    private static IpBlockPeer? ReadIpBlock(JsonElement ipBlock, string field, ProblemCollector problems)
    {
        if (ipBlock.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"must be an object, not {Json.Describe(ipBlock)}: {Ignored}");
            return null;
        }

        var cidrText = Json.OptionalString(ipBlock, "cidr");
        if (cidrText is null)
        {
            problems.Add($"{field}.cidr", $"must be a CIDR string: {Ignored}");
            return null;
        }

        if (StrictAddress.TryParseCidr(cidrText, out var cidr) is { } cidrError)
        {
            problems.Add($"{field}.cidr", $"{cidrError}: {Ignored}");
            return null;
        }

        var except = ReadExcept(ipBlock, cidr, $"{field}.except", problems);
        return except is null ? null : new IpBlockPeer(cidr, except.Value);
    }

    private static ImmutableArray<IPNetwork>? ReadExcept(JsonElement ipBlock, IPNetwork cidr, string field, ProblemCollector problems)
    {
        if (!Json.TryGet(ipBlock, "except", out var list))
        {
            return ImmutableArray<IPNetwork>.Empty;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            problems.Add(field, $"must be a list of CIDRs, not {Json.Describe(list)}: {Ignored}");
            return null;
        }

        var result = ImmutableArray.CreateBuilder<IPNetwork>();
        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            var entryField = $"{field}[{index}]";
            if (entry.ValueKind != JsonValueKind.String)
            {
                problems.Add(entryField, $"must be a CIDR string, not {Json.Describe(entry)}: {Ignored}");
                return null;
            }

            if (StrictAddress.TryParseCidr(entry.GetString()!, out var except) is { } error)
            {
                problems.Add(entryField, $"{error}: {Ignored}");
                return null;
            }

            if (!StrictAddress.IsStrictlyInside(except, cidr))
            {
                problems.Add(entryField, $"{MessageText.Quote(entry.GetString())} is not strictly inside cidr {cidr} of the same family: {Ignored}");
                return null;
            }

            result.Add(except);
            index++;
        }

        return result.ToImmutable();
    }
}
