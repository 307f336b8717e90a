using System.Text.Json.Nodes;

namespace Mnp.Tests.Support.Agent;

/// <summary>API objects as the fake API server serves them.</summary>
public static class KubeObjects
{
    public static JsonObject Namespace(string name, params (string Key, string Value)[] labels) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = Labels([("kubernetes.io/metadata.name", name), .. labels]) },
    };

    public static JsonObject Network(string ns, string name, string type = "macvlan") => new()
    {
        ["apiVersion"] = "k8s.cni.cncf.io/v1",
        ["kind"] = "NetworkAttachmentDefinition",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["config"] = $$"""{"cniVersion":"0.3.1","type":"{{type}}"}""" },
    };

    public static JsonObject Pod(string ns, string name, string node, string network, string address, params (string Key, string Value)[] labels) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = $"uid-{ns}-{name}",
            ["labels"] = Labels(labels),
            ["annotations"] = new JsonObject
            {
                ["k8s.v1.cni.cncf.io/network-status"] = new JsonArray(new JsonObject
                {
                    ["name"] = network,
                    ["interface"] = "net1",
                    ["ips"] = new JsonArray(address),
                }).ToJsonString(),
            },
        },
        ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "i" }) },
        ["status"] = new JsonObject { ["phase"] = "Running" },
    };

    /// <summary>policyTypes [Ingress]: pods matching <paramref name="target"/> accept only from pods matching <paramref name="from"/>.</summary>
    public static JsonObject IngressPolicy(string ns, string name, string network, (string Key, string Value) target, (string Key, string Value) from, string version = "v1beta1") => new()
    {
        ["apiVersion"] = $"k8s.cni.cncf.io/{version}",
        ["kind"] = "MultiNetworkPolicy",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["annotations"] = new JsonObject { ["k8s.v1.cni.cncf.io/policy-for"] = network },
        },
        ["spec"] = new JsonObject
        {
            ["podSelector"] = new JsonObject { ["matchLabels"] = Labels([target]) },
            ["policyTypes"] = new JsonArray("Ingress"),
            ["ingress"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonArray(new JsonObject { ["podSelector"] = new JsonObject { ["matchLabels"] = Labels([from]) } }),
            }),
        },
    };

    private static JsonObject Labels(IEnumerable<(string Key, string Value)> labels)
    {
        var json = new JsonObject();
        foreach (var (key, value) in labels)
        {
            json[key] = value;
        }

        return json;
    }
}
