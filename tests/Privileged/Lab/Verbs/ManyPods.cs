using System.Globalization;
using System.Text;

namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>Manifests of one namespace <c>x</c>, one NAD <c>x/net1</c> (host-local 10.80.0.0/16 and fd80::/64) and N pods on it.</summary>
internal static class ManyPods
{
    /// <summary>Pods p0..p(N-1), port 80/TCP; even ones are <c>role: server</c>, odd ones <c>role: client</c>.</summary>
    public static string Yaml(int pods)
    {
        var yaml = new StringBuilder("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
            ---
            apiVersion: k8s.cni.cncf.io/v1
            kind: NetworkAttachmentDefinition
            metadata: {name: net1, namespace: x}
            spec:
              config: '{"cniVersion": "0.4.0", "type": "macvlan", "mode": "bridge", "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.80.0.0/16"}]]}}'

            """);
        for (var i = 0; i < pods; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $$$"""
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p{{{i}}}, namespace: x, labels: {role: {{{(i % 2 == 0 ? "server" : "client")}}}}, annotations: {k8s.v1.cni.cncf.io/networks: net1}}
                spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}

                """);
        }

        return yaml.ToString();
    }

    /// <summary>Servers take port 80 only from clients.</summary>
    public const string ServersFromClients = """
        apiVersion: k8s.cni.cncf.io/v1beta1
        kind: MultiNetworkPolicy
        metadata: {name: servers, namespace: x, annotations: {k8s.v1.cni.cncf.io/policy-for: x/net1}}
        spec:
          podSelector: {matchLabels: {role: server}}
          policyTypes: [Ingress]
          ingress: [{from: [{podSelector: {matchLabels: {role: client}}}], ports: [{protocol: TCP, port: 80}]}]
        """;
}
