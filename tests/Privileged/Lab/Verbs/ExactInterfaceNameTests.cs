namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>
/// Issue 7 item 1 with real probes: pod x/b names its netb interface <c>n+</c>, which iptables would read as a
/// wildcard for every interface starting with "n" (its neta interface <c>net1</c> included). Our rules match
/// names exactly, so a policy on one network never reaches the other: each probe agrees with the evaluator.
/// </summary>
public sealed class ExactInterfaceNameTests
{
    private const string Cluster = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: x}
        ---
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata: {name: neta, namespace: x}
        spec:
          config: '{"cniVersion": "0.3.1", "type": "macvlan", "mode": "bridge", "ipam": {"type": "host-local", "subnet": "10.78.1.0/24", "rangeStart": "10.78.1.10"}}'
        ---
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata: {name: netb, namespace: x}
        spec:
          config: '{"cniVersion": "0.3.1", "type": "macvlan", "mode": "bridge", "ipam": {"type": "whereabouts", "range": "fd00:78:2::/64"}}'
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: a
          namespace: x
          labels: {pod: a}
          annotations: {k8s.v1.cni.cncf.io/networks: 'neta, netb'}
        spec: {containers: [{name: c, image: example}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: b
          namespace: x
          labels: {pod: b}
          annotations:
            k8s.v1.cni.cncf.io/networks: '[{"name":"neta","interface":"net1"},{"name":"netb","interface":"n+"}]'
        spec: {containers: [{name: c, image: example, ports: [{containerPort: 80}]}]}
        """;

    [LabTheory]
    [InlineData("neta", "netb")]
    [InlineData("netb", "neta")]
    public async Task A_deny_on_one_network_and_an_allow_all_on_the_other_stay_apart(string denied, string allowed)
    {
        var lab = LabModel.UniqueLabName();
        var file = Path.Combine(Path.GetTempPath(), $"mnp-{lab}-exact.yaml");
        try
        {
            await File.WriteAllTextAsync(file, Cluster + $$"""

                ---
                apiVersion: k8s.cni.cncf.io/v1beta1
                kind: MultiNetworkPolicy
                metadata:
                  name: deny
                  namespace: x
                  annotations:
                    k8s.v1.cni.cncf.io/policy-for: x/{{denied}}
                spec:
                  podSelector:
                    matchLabels:
                      pod: b
                  policyTypes: [Ingress]
                ---
                apiVersion: k8s.cni.cncf.io/v1beta1
                kind: MultiNetworkPolicy
                metadata:
                  name: allow-all
                  namespace: x
                  annotations:
                    k8s.v1.cni.cncf.io/policy-for: x/{{allowed}}
                spec:
                  podSelector:
                    matchLabels:
                      pod: b
                  policyTypes: [Ingress]
                  ingress:
                  - {}
                """);
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", file);
            Assert.True(up.ExitCode == 0, up.ToString());

            var rows = await LabCliTests.ProbeJsonAsync(lab);

            var toB = rows.Where(r => r.From == "x/a" && r.To == "x/b" && r.Port == 80 && r.Protocol == "TCP").ToList();
            Assert.All(toB.Where(r => r.Network == $"x/{denied}"), r => Assert.False(r.Connected, $"{r}: the deny on x/{denied} must hold"));
            Assert.All(toB.Where(r => r.Network == $"x/{allowed}"), r => Assert.True(r.Connected, $"{r}: the allow-all on x/{allowed} must hold"));
            Assert.Equal(2, toB.Select(r => r.Network).Distinct().Count());
            LabCliTests.AssertAgreesWithManifests(lab, rows);
        }
        finally
        {
            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
            File.Delete(file);
        }
    }
}
