using System.Text.Json;
using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>
/// Reads the <c>k8s.v1.cni.cncf.io/networks</c> annotation, what a pod asks Multus for: either a
/// JSON list of <c>{name, namespace, interface, ips}</c> or the comma form
/// <c>ns/name@iface, name2</c>. Bad entries are dropped and reported.
/// </summary>
public static class NetworkRequestParser
{
    private const string Dropped = "entry ignored";

    public static ImmutableArray<NetworkRequest> Parse(string? annotation, string podNamespace, ProblemCollector problems)
    {
        var text = annotation?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return [];
        }

        return text.StartsWith('[') ? ParseJson(text, podNamespace, problems) : ParseCommaList(text, podNamespace, problems);
    }

    private static ImmutableArray<NetworkRequest> ParseCommaList(string text, string podNamespace, ProblemCollector problems)
    {
        var field = Annotations.Field(Annotations.Networks);
        var requests = ImmutableArray.CreateBuilder<NetworkRequest>();
        var index = 0;
        foreach (var rawEntry in text.Split(','))
        {
            var entry = rawEntry.Trim();
            if (entry.Length > 0)
            {
                var at = entry.LastIndexOf('@');
                var reference = at < 0 ? entry : entry[..at].Trim();
                var interfaceName = at < 0 ? null : entry[(at + 1)..].Trim();
                if (!NetworkRef.TryParse(reference, podNamespace, out var network) || interfaceName is { Length: 0 })
                {
                    problems.Add($"{field}[{index}]", $"{MessageText.Quote(entry)} is not [namespace/]name[@interface]: {Dropped}");
                }
                else if (interfaceName is not null && InterfaceNames.Problem(interfaceName) is { } badName)
                {
                    problems.Add($"{field}[{index}]", $"interface {MessageText.Quote(interfaceName)}: {badName}: {Dropped}");
                }
                else
                {
                    requests.Add(new NetworkRequest(network, interfaceName, []));
                }
            }

            index++;
        }

        return requests.ToImmutable();
    }

    private static ImmutableArray<NetworkRequest> ParseJson(string text, string podNamespace, ProblemCollector problems)
    {
        var field = Annotations.Field(Annotations.Networks);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Json.Strict);
        }
        catch (JsonException e)
        {
            problems.Add(field, $"does not parse as JSON ({e.Message.ReplaceLineEndings(" ")}): no networks requested");
            return [];
        }

        using (document)
        {
            var requests = ImmutableArray.CreateBuilder<NetworkRequest>();
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (ReadJsonEntry(entry, podNamespace, $"{field}[{index}]", problems) is { } request)
                {
                    requests.Add(request);
                }

                index++;
            }

            return requests.ToImmutable();
        }
    }

    private static NetworkRequest? ReadJsonEntry(JsonElement entry, string podNamespace, string field, ProblemCollector problems)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return Drop(problems, field, $"must be an object, not {Json.Describe(entry)}");
        }

        var name = Json.OptionalString(entry, "name");
        var ns = Json.OptionalString(entry, "namespace") ?? podNamespace;
        if (name is null || !NetworkRef.TryParse(name, ns, out var network))
        {
            return Drop(problems, field, "\"name\" must be a network name");
        }

        var interfaceName = Json.OptionalString(entry, "interface");
        if (interfaceName is { Length: 0 } || (Json.TryGet(entry, "interface", out var rawInterface) && rawInterface.ValueKind != JsonValueKind.String))
        {
            return Drop(problems, field, "\"interface\" must be a non-empty string");
        }

        if (interfaceName is not null && InterfaceNames.Problem(interfaceName) is { } badName)
        {
            return Drop(problems, field, $"\"interface\" {MessageText.Quote(interfaceName)}: {badName}");
        }

        var ips = ImmutableArray.CreateBuilder<string>();
        if (Json.TryGet(entry, "ips", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                return Drop(problems, field, $"\"ips\" must be a list, not {Json.Describe(list)}");
            }

            foreach (var ip in list.EnumerateArray())
            {
                if (ip.ValueKind != JsonValueKind.String || !IsAddressOrCidr(ip.GetString()!))
                {
                    return Drop(problems, field, $"\"ips\" holds {Json.Describe(ip)}, which is not an address or address/prefix");
                }

                ips.Add(ip.GetString()!);
            }
        }

        return new NetworkRequest(network, interfaceName, ips.ToImmutable());
    }

    private static bool IsAddressOrCidr(string text) =>
        text.Contains('/', StringComparison.Ordinal)
            ? StrictAddress.TryParseCidr(text, out _) is null
            : StrictAddress.TryParseAddress(text, out _);

    private static NetworkRequest? Drop(ProblemCollector problems, string field, string message)
    {
        problems.Add(field, $"{message}: {Dropped}");
        return null;
    }
}
