using System.Text.Json;
using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>
/// Reads the <c>k8s.v1.cni.cncf.io/network-status</c> annotation Multus writes: a JSON list of
/// <c>{name, interface, ips, mac, default}</c>. The default (cluster) network is skipped; each bad
/// entry is dropped whole and reported (an interface name the kernel would refuse included: see
/// <see cref="InterfaceNames"/>); an annotation that does not parse gives no interfaces.
/// </summary>
public static class NetworkStatusParser
{
    private const string Dropped = "entry ignored";

    public static ImmutableArray<PodInterface> Parse(string? annotation, string podNamespace, ProblemCollector problems)
    {
        if (string.IsNullOrWhiteSpace(annotation))
        {
            return [];
        }

        var field = Annotations.Field(Annotations.NetworkStatus);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(annotation, Json.Strict);
        }
        catch (JsonException e)
        {
            problems.Add(field, $"does not parse as JSON ({e.Message.ReplaceLineEndings(" ")}): the pod has no secondary interfaces");
            return [];
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add(field, $"must be a list, not {Json.Describe(document.RootElement)}: the pod has no secondary interfaces");
                return [];
            }

            var interfaces = ImmutableArray.CreateBuilder<PodInterface>();
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (ReadEntry(entry, podNamespace, $"{field}[{index}]", problems) is { } parsed)
                {
                    interfaces.Add(parsed);
                }

                index++;
            }

            return interfaces.ToImmutable();
        }
    }

    private static PodInterface? ReadEntry(JsonElement entry, string podNamespace, string field, ProblemCollector problems)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return Drop(problems, field, $"must be an object, not {Json.Describe(entry)}");
        }

        if (Json.TryGet(entry, "default", out var isDefault))
        {
            if (isDefault.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Drop(problems, field, $"\"default\" must be a boolean, not {Json.Describe(isDefault)}");
            }

            if (isDefault.GetBoolean())
            {
                return null;
            }
        }

        var name = Json.OptionalString(entry, "name");
        if (name is null || !NetworkRef.TryParse(name, podNamespace, out var network))
        {
            return Drop(problems, field, $"\"name\" must be nad or namespace/nad, not {Describe(entry, "name")}");
        }

        var interfaceName = Json.OptionalString(entry, "interface");
        if (string.IsNullOrEmpty(interfaceName))
        {
            return Drop(problems, field, $"\"interface\" must be a non-empty string, not {Describe(entry, "interface")}");
        }

        // No interface can exist under a name the kernel refuses, so dropping the entry leaves nothing
        // ungoverned; its addresses are not the pod's for peer matching either (less access, never more).
        if (InterfaceNames.Problem(interfaceName) is { } badName)
        {
            return Drop(problems, field, $"\"interface\" {MessageText.Quote(interfaceName)}: {badName}");
        }

        var addresses = ReadIps(entry, field, problems);
        if (addresses is null)
        {
            return null;
        }

        if (Json.TryGet(entry, "mac", out var mac) && mac.ValueKind != JsonValueKind.String)
        {
            return Drop(problems, field, $"\"mac\" must be a string, not {Json.Describe(mac)}");
        }

        return new PodInterface(network, interfaceName, addresses.Value, Json.OptionalString(entry, "mac"));
    }

    private static ImmutableArray<IPAddress>? ReadIps(JsonElement entry, string field, ProblemCollector problems)
    {
        if (!Json.TryGet(entry, "ips", out var ips))
        {
            return ImmutableArray<IPAddress>.Empty;
        }

        if (ips.ValueKind != JsonValueKind.Array)
        {
            Drop(problems, field, $"\"ips\" must be a list of addresses, not {Json.Describe(ips)}");
            return null;
        }

        var addresses = ImmutableArray.CreateBuilder<IPAddress>();
        foreach (var ip in ips.EnumerateArray())
        {
            if (ip.ValueKind != JsonValueKind.String || !StrictAddress.TryParseAddress(ip.GetString()!, out var address))
            {
                Drop(problems, field, $"\"ips\" holds {Json.Describe(ip)}, which is not an IP address");
                return null;
            }

            addresses.Add(address);
        }

        return addresses.ToImmutable();
    }

    private static string Describe(JsonElement entry, string property) =>
        entry.TryGetProperty(property, out var value) ? Json.Describe(value) : "nothing";

    private static PodInterface? Drop(ProblemCollector problems, string field, string message)
    {
        problems.Add(field, $"{message}: {Dropped}");
        return null;
    }
}
