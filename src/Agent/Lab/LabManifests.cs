using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mnp.Native.Files;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Agent.Lab;

/// <summary>
/// The lab's <c>manifests/</c> folder: one JSON file per current object (<c>Kind.NS.NAME.json</c>, unambiguous since
/// kinds and namespaces hold no dots; a name that would make the file name longer than 255 bytes is cut and given a
/// hash, and a name already used in this write gets a counter, so no object ever overwrites another), written as the
/// cluster would show them: Namespaces labelled <c>kubernetes.io/metadata.name</c>; lab Pods with the network-status
/// annotation, <c>spec.nodeName</c> = the lab node and <c>status.phase: Running</c>. The folder is replaced as a
/// whole and atomically: the new generation is written beside it and exchanged with it in one rename
/// (RENAME_EXCHANGE), so a reader or a crash only ever sees one complete generation.
/// </summary>
public static class LabManifests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the objects as they were given, with what the lab adds.</summary>
    public static void Write(string directory, IEnumerable<ManifestObject> objects, LabState state)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(state);
        Replace(directory, objects.Select(o => (FileName(o.Kind, o.Namespace, o.Name), Materialize(o, state))));
    }

    /// <summary>Writes the namespaces, NADs and pods of a snapshot (a lab made from records has no manifests; policies have no writer and are left out).</summary>
    public static void Write(string directory, ClusterSnapshot snapshot, LabState state)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(state);
        var files = snapshot.Namespaces.Select(n => (FileName(ManifestKinds.Namespace, null, n.Name), (JsonNode)NamespaceJson(n)))
            .Concat(snapshot.Networks.Select(n => (FileName(ManifestKinds.NetworkAttachmentDefinition, n.Namespace, n.Name), (JsonNode)NetworkJson(n))))
            .Concat(snapshot.Pods.Select(p => (FileName(ManifestKinds.Pod, p.Namespace, p.Name), (JsonNode)PodJson(p, state))));
        Replace(directory, files);
    }

    private const int MaxFileName = 255;

    private static string FileName(string kind, string? ns, string name) => ns is null ? $"{kind}.{name}.json" : $"{kind}.{ns}.{name}.json";

    /// <summary>The file name, or (too long) the name cut with a hash of the whole, or (already used) with a counter.</summary>
    private static string UniqueFileName(string wanted, HashSet<string> used)
    {
        var name = wanted;
        if (Encoding.UTF8.GetByteCount(name) > MaxFileName)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(wanted)))[..16];
            var cut = wanted.Length;
            while (Encoding.UTF8.GetByteCount(wanted.AsSpan(0, cut)) > MaxFileName - 40 || char.IsHighSurrogate(wanted[cut - 1]))
            {
                cut--;
            }

            name = $"{wanted[..cut]}~{hash}.json";
        }

        var stem = name[..^".json".Length];
        for (var n = 2; !used.Add(name); n++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{stem}~{n}.json");
        }

        return name;
    }

    private static void Replace(string directory, IEnumerable<(string FileName, JsonNode Json)> files)
    {
        var fresh = directory + ".new";
        if (Directory.Exists(fresh))
        {
            Directory.Delete(fresh, recursive: true);
        }

        Directory.CreateDirectory(fresh);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (fileName, json) in files)
        {
            File.WriteAllText(Path.Combine(fresh, UniqueFileName(fileName, used)), json.ToJsonString(Indented) + "\n");
        }

        if (!Directory.Exists(directory))
        {
            Directory.Move(fresh, directory);
            return;
        }

        // One atomic step: `directory` is the old or the new generation, never missing or half of either.
        AtomicRename.Exchange(fresh, directory);
        Directory.Delete(fresh, recursive: true);
    }

    private static JsonNode Materialize(ManifestObject obj, LabState state)
    {
        var json = JsonNode.Parse(obj.Json.GetRawText()) ?? new JsonObject();
        var metadata = Child(json, "metadata");
        if (obj.Kind == ManifestKinds.Namespace)
        {
            Child(metadata, "labels")[LabCluster.NamespaceNameLabel] = obj.Name;
        }
        else if (obj.Namespace is not null)
        {
            metadata["namespace"] = obj.Namespace;
        }

        if (obj.Kind == ManifestKinds.Pod && state.FindPod($"{obj.Namespace}/{obj.Name}") is { } pod)
        {
            Child(metadata, "annotations")[NetworkStatus.AnnotationName] = NetworkStatus.ToJson(pod);
            Child(json, "spec")["nodeName"] = LabCluster.NodeName(state.Name);
            Child(json, "status")["phase"] = "Running";
        }

        return json;
    }

    private static JsonObject Child(JsonNode parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    private static JsonObject NamespaceJson(NamespaceInfo ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = ManifestKinds.Namespace,
        ["metadata"] = new JsonObject { ["name"] = ns.Name, ["labels"] = Labels(ns.Labels.SetItem(LabCluster.NamespaceNameLabel, ns.Name)) },
    };

    private static JsonObject NetworkJson(NetworkAttachmentInfo network) => new()
    {
        ["apiVersion"] = "k8s.cni.cncf.io/v1",
        ["kind"] = ManifestKinds.NetworkAttachmentDefinition,
        ["metadata"] = new JsonObject { ["name"] = network.Name, ["namespace"] = network.Namespace },
        ["spec"] = new JsonObject { ["config"] = network.Config ?? "{}" },
    };

    private static JsonObject PodJson(PodInfo pod, LabState state)
    {
        var annotations = new JsonObject
        {
            ["k8s.v1.cni.cncf.io/networks"] = new JsonArray([.. pod.RequestedNetworks.Select(RequestJson)]).ToJsonString(),
        };
        var labPod = state.FindPod(pod.Key);
        if (labPod is not null)
        {
            annotations[NetworkStatus.AnnotationName] = NetworkStatus.ToJson(labPod);
        }

        var ports = new JsonArray([.. pod.Ports.Select(p => new JsonObject
        {
            ["name"] = p.Name,
            ["containerPort"] = p.Number,
            ["protocol"] = p.Protocol.ToString().ToUpperInvariant(),
        })]);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = ManifestKinds.Pod,
            ["metadata"] = new JsonObject { ["name"] = pod.Name, ["namespace"] = pod.Namespace, ["labels"] = Labels(pod.Labels), ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = labPod is null ? pod.NodeName : LabCluster.NodeName(state.Name),
                ["hostNetwork"] = pod.HostNetwork,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "lab", ["ports"] = ports }),
            },
            ["status"] = new JsonObject { ["phase"] = labPod is null ? pod.Phase : "Running" },
        };
    }

    private static JsonObject RequestJson(NetworkRequest request)
    {
        var json = new JsonObject { ["name"] = request.Network.Name, ["namespace"] = request.Network.Namespace };
        if (request.Interface is not null)
        {
            json["interface"] = request.Interface;
        }

        if (!request.Ips.IsDefaultOrEmpty)
        {
            json["ips"] = new JsonArray([.. request.Ips.Select(ip => JsonValue.Create(ip))]);
        }

        return json;
    }

    private static JsonObject Labels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var json = new JsonObject();
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json;
    }
}
