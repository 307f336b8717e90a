using System.Text.Json;
using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>
/// Reads a NetworkAttachmentDefinition (k8s.cni.cncf.io/v1): its CNI plugin type is the config's
/// <c>type</c>, or the first plugin's <c>type</c> for a conflist. A config that is missing, empty or
/// does not parse gives a null type: the network is unmanaged.
/// </summary>
public static class NetworkAttachmentDefinitionParser
{
    public const string Kind = "NetworkAttachmentDefinition";
    private const string Field = "spec.config";
    private const string Unmanaged = "the network is unmanaged";

    public static Parsed<NetworkAttachmentInfo> Parse(JsonElement definition, string defaultNamespace = "default")
    {
        var (name, ns) = Json.NameOf(definition);
        ns ??= defaultNamespace;
        var problems = new ProblemCollector(Kind, ns, name);
        var config = Json.TryGet(definition, "spec", out var spec) ? Json.OptionalString(spec, "config") : null;
        string? pluginType;
        if (config is null && Json.TryGet(spec, "config", out var notText))
        {
            problems.Add(Field, $"must be a string holding JSON, not {Json.Describe(notText)}: {Unmanaged}");
            pluginType = null;
        }
        else
        {
            pluginType = ReadPluginType(config, problems);
        }

        return new Parsed<NetworkAttachmentInfo>(new NetworkAttachmentInfo(ns, name, pluginType, config), problems.ToImmutable());
    }

    /// <summary>The CNI type of a config or conflist text, or null (with a problem) when there is none.</summary>
    public static string? ReadPluginType(string? config, ProblemCollector problems)
    {
        if (string.IsNullOrWhiteSpace(config))
        {
            problems.Add(Field, $"missing or empty: {Unmanaged}");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(config, Json.Strict);
        }
        catch (JsonException e)
        {
            problems.Add(Field, $"does not parse as JSON ({OneLine(e.Message)}): {Unmanaged}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            var holder = Json.TryGet(root, "plugins", out var plugins) ? FirstPlugin(plugins) : root;
            var type = holder is { } h ? Json.OptionalString(h, "type") : null;
            if (string.IsNullOrEmpty(type))
            {
                problems.Add(Field, holder is null || !Json.TryGet(root, "plugins", out _)
                    ? $"has no \"type\": {Unmanaged}"
                    : $"first plugin has no \"type\": {Unmanaged}");
                return null;
            }

            return type;
        }
    }

    private static JsonElement? FirstPlugin(JsonElement plugins) =>
        plugins.ValueKind == JsonValueKind.Array && plugins.GetArrayLength() > 0 ? plugins[0] : null;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
