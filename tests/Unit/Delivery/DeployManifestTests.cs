using System.Text.Json.Nodes;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// <c>kubectl kustomize</c> of deploy/base, deploy/openshift and deploy/cleanup (the real kubectl): the objects an operator
/// applies, with the fields docs/operations.md §1 lists, wired to each other by name.
/// </summary>
public sealed class DeployManifestTests
{
    private const string Namespace = "mnp-system";

    private static readonly string[] BaseKinds = ["ClusterRole", "ClusterRoleBinding", "DaemonSet", "Namespace", "Service", "ServiceAccount"];

    [Fact]
    public async Task Base_gives_exactly_the_agent_objects_each_well_formed_and_in_its_namespace()
    {
        var objects = await Kustomize.BuildAsync("base");

        Assert.Equal(BaseKinds, objects.Select(Kustomize.Kind).Order(StringComparer.Ordinal));
        AssertWellFormed(objects);
        var ns = Kustomize.Single(objects, "Namespace");
        Assert.Equal(Namespace, Kustomize.Name(ns));
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            Assert.Equal("privileged", (string?)ns["metadata"]!["labels"]![$"pod-security.kubernetes.io/{mode}"]);
        }
    }

    [Fact]
    public async Task ClusterRole_grants_exactly_what_the_agent_reads_and_writes()
    {
        var role = Kustomize.Single(await Kustomize.BuildAsync("base"), "ClusterRole");

        var grants = role["rules"]!.AsArray().SelectMany(r =>
            from g in r!["apiGroups"]!.AsArray()
            from res in r["resources"]!.AsArray()
            from v in r["verbs"]!.AsArray()
            select $"{(string)g!}/{(string)res!}:{(string)v!}").Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "/events:create", "/events:get", "/events:patch",
                "/namespaces:list", "/namespaces:watch", "/pods:list", "/pods:watch",
                "k8s.cni.cncf.io/multi-networkpolicies:list", "k8s.cni.cncf.io/multi-networkpolicies:watch",
                "k8s.cni.cncf.io/network-attachment-definitions:list", "k8s.cni.cncf.io/network-attachment-definitions:watch",
                "operator.openshift.io/networks:get",
            ],
            grants);
    }

    [Fact]
    public async Task The_binding_the_daemonset_and_the_service_refer_to_each_other_by_name()
    {
        var objects = await Kustomize.BuildAsync("base");
        var account = Kustomize.Single(objects, "ServiceAccount");
        var binding = Kustomize.Single(objects, "ClusterRoleBinding");
        var ds = Kustomize.Single(objects, "DaemonSet");
        var service = Kustomize.Single(objects, "Service");
        var pod = ds["spec"]!["template"]!.AsObject();

        Assert.Equal(Kustomize.Name(Kustomize.Single(objects, "ClusterRole")), (string?)binding["roleRef"]!["name"]);
        var subject = Assert.Single(binding["subjects"]!.AsArray())!;
        Assert.Equal($"ServiceAccount {Namespace}/{Kustomize.Name(account)}", $"{subject["kind"]} {subject["namespace"]}/{subject["name"]}");
        Assert.Equal(Kustomize.Name(account), (string?)pod["spec"]!["serviceAccountName"]);
        Assert.True(JsonNode.DeepEquals(ds["spec"]!["selector"]!["matchLabels"], pod["metadata"]!["labels"]), "the DaemonSet selector does not match its pods");
        Assert.All(service["spec"]!["selector"]!.AsObject(), l => Assert.Equal((string?)l.Value, (string?)pod["metadata"]!["labels"]![l.Key]));

        var container = Assert.Single(pod["spec"]!["containers"]!.AsArray())!;
        var port = Assert.Single(container["ports"]!.AsArray())!;
        var servicePort = Assert.Single(service["spec"]!["ports"]!.AsArray())!;
        Assert.Equal("metrics", (string?)servicePort["name"]);
        Assert.Equal((string?)port["name"], (string?)servicePort["targetPort"]);
        Assert.Equal($"0.0.0.0:{(long)port["containerPort"]!}", FlagValue(container, "--listen"));
    }

    [Fact]
    public async Task DaemonSet_runs_privileged_on_the_host_network_on_every_node_and_updates_gently()
    {
        var ds = Kustomize.Single(await Kustomize.BuildAsync("base"), "DaemonSet");
        var spec = ds["spec"]!["template"]!["spec"]!;
        var container = spec["containers"]![0]!;

        Assert.Equal(Namespace, (string?)ds["metadata"]!["namespace"]);
        Assert.True((bool)spec["hostNetwork"]!);
        Assert.Null(spec["hostPID"]);
        Assert.True((bool)container["securityContext"]!["privileged"]!);
        Assert.Equal("system-node-critical", (string?)spec["priorityClassName"]);
        Assert.Equal("""[{"operator":"Exists"}]""", spec["tolerations"]!.ToJsonString());
        Assert.Equal("linux", (string?)spec["nodeSelector"]!["kubernetes.io/os"]);
        Assert.Equal("RollingUpdate", (string?)ds["spec"]!["updateStrategy"]!["type"]);
        Assert.Equal("10%", (string?)ds["spec"]!["updateStrategy"]!["rollingUpdate"]!["maxUnavailable"]);
        Assert.True((long)spec["terminationGracePeriodSeconds"]! > 30, "the grace period must exceed the .NET host's 30 s shutdown timeout");

        var env = Assert.Single(container["env"]!.AsArray(), e => (string?)e!["name"] == "NODE_NAME")!;
        Assert.Equal("spec.nodeName", (string?)env["valueFrom"]!["fieldRef"]!["fieldPath"]);

        Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.Null(container["resources"]!["limits"]?["memory"]);

        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.NotNull(container["startupProbe"]!["httpGet"]);
        Assert.True((long)container["startupProbe"]!["periodSeconds"]! * (long)container["startupProbe"]!["failureThreshold"]! >= 120, "the startup probe must allow a slow first sync");
    }

    [Fact]
    public async Task DaemonSet_mounts_the_cri_socket_netns_with_propagation_proc_read_only_and_the_xtables_lock()
    {
        var spec = Kustomize.Single(await Kustomize.BuildAsync("base"), "DaemonSet")["spec"]!["template"]!["spec"]!;
        var mounts = Mounts(spec);

        Assert.Contains("/run/containerd/containerd.sock -> /host/run/containerd/containerd.sock rw", mounts);
        Assert.Contains("/run/netns -> /host/run/netns rw HostToContainer", mounts);
        Assert.Contains("/run/netns -> /host/var/run/netns rw HostToContainer", mounts);
        Assert.Contains("/proc -> /host/proc ro", mounts);
        Assert.Contains("/run/xtables.lock -> /run/xtables.lock rw", mounts);
        Assert.Contains("/run/mnp -> /host/run/mnp rw", mounts);
        Assert.Equal(6, mounts.Count);
        var container = spec["containers"]![0]!;
        Assert.Equal("/host", FlagValue(container, "--host-prefix"));
        Assert.Equal("/run/containerd/containerd.sock", FlagValue(container, "--container-runtime-endpoint"));
        Assert.Equal("FileOrCreate", (string?)spec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "xtables-lock")!["hostPath"]!["type"]);
    }

    [Fact]
    public async Task OpenShift_adds_the_scc_monitoring_and_crio_and_keeps_the_rest_of_the_base()
    {
        var objects = await Kustomize.BuildAsync("openshift");

        Assert.Equal(
            [.. BaseKinds.Concat(["Role", "RoleBinding", "RoleBinding", "ServiceMonitor"]).Order(StringComparer.Ordinal)],
            objects.Select(Kustomize.Kind).Order(StringComparer.Ordinal));
        AssertWellFormed(objects);
        var scc = Assert.Single(objects, o => Kustomize.Kind(o) == "RoleBinding" && (string?)o["roleRef"]!["name"] == "system:openshift:scc:privileged");
        var sccSubject = Assert.Single(scc["subjects"]!.AsArray())!;
        Assert.Equal($"{Namespace}/mnp-agent", $"{sccSubject["namespace"]}/{sccSubject["name"]}");

        var ns = Kustomize.Single(objects, "Namespace")["metadata"]!;
        Assert.Equal("false", (string?)ns["labels"]!["security.openshift.io/scc.podSecurityLabelSync"]);
        Assert.Equal("true", (string?)ns["labels"]!["openshift.io/cluster-monitoring"]);
        Assert.Equal("privileged", (string?)ns["labels"]!["pod-security.kubernetes.io/enforce"]);
        Assert.Equal("management", (string?)ns["annotations"]!["workload.openshift.io/allowed"]);

        var ds = Kustomize.Single(objects, "DaemonSet");
        var pod = ds["spec"]!["template"]!;
        Assert.Contains("PreferredDuringScheduling", (string?)pod["metadata"]!["annotations"]!["target.workload.openshift.io/management"], StringComparison.Ordinal);
        Assert.Equal("/run/crio/crio.sock", FlagValue(pod["spec"]!["containers"]![0]!, "--container-runtime-endpoint"));
        Assert.Contains("/run/crio/crio.sock -> /host/run/crio/crio.sock rw", Mounts(pod["spec"]!));
        Assert.DoesNotContain("containerd", ds.ToJsonString(), StringComparison.Ordinal);

        var monitor = Kustomize.Single(objects, "ServiceMonitor");
        var service = Kustomize.Single(objects, "Service");
        Assert.All(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), l => Assert.Equal((string?)l.Value, (string?)service["metadata"]!["labels"]![l.Key]));
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;
        Assert.Equal("/metrics", (string?)endpoint["path"]);
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)endpoint["port"]);
    }

    [Fact]
    public async Task Cleanup_runs_mnp_cleanup_once_per_node_with_the_agents_environment_and_host_mounts_then_idles()
    {
        var objects = await Kustomize.BuildAsync("cleanup");
        var agent = Kustomize.Single(await Kustomize.BuildAsync("base"), "DaemonSet")["spec"]!["template"]!["spec"]!;

        Assert.Equal(["DaemonSet", "Namespace"], objects.Select(Kustomize.Kind).Order(StringComparer.Ordinal));
        AssertWellFormed(objects);
        Assert.Equal("privileged", (string?)Kustomize.Single(objects, "Namespace")["metadata"]!["labels"]!["pod-security.kubernetes.io/enforce"]);
        var spec = Kustomize.Single(objects, "DaemonSet")["spec"]!["template"]!["spec"]!;
        var cleanup = Assert.Single(spec["initContainers"]!.AsArray())!;
        Assert.Equal(["/usr/local/bin/mnp", "cleanup"], cleanup["command"]!.AsArray().Select(c => (string)c!));
        Assert.Null(cleanup["args"]); // never --force: it must refuse while an agent still runs on the node
        Assert.True((bool)cleanup["securityContext"]!["privileged"]!);
        var agentContainer = agent["containers"]![0]!;
        foreach (var name in new[] { "MNP_HOST_PREFIX", "MNP_CONTAINER_RUNTIME_ENDPOINT" })
        {
            Assert.Equal(Env(agentContainer, name), Env(cleanup, name));
        }

        Assert.Equal(Mounts(agent), Mounts(spec, "initContainers"));
        Assert.Equal("Exists", (string?)spec["tolerations"]![0]!["operator"]);
        Assert.False((bool)spec["automountServiceAccountToken"]!);
        var idle = Assert.Single(spec["containers"]!.AsArray())!;
        Assert.StartsWith("registry.k8s.io/pause:", (string)idle["image"]!, StringComparison.Ordinal);
    }

    private static string? Env(JsonNode container, string name) =>
        (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == name)!["value"];

    /// <summary>
    /// The value of an agent flag in the container: after <paramref name="flag"/> in its args (flags are written as separate
    /// items), else its environment variable (<c>MNP_FLAG_NAME</c>), as the agent reads them.
    /// </summary>
    internal static string? FlagValue(JsonNode container, string flag)
    {
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();
        var at = args.IndexOf(flag);
        if (at >= 0 && at + 1 < args.Count)
        {
            return args[at + 1];
        }

        var name = Mnp.Agent.Host.AgentOptionsReader.EnvironmentName(flag);
        return (string?)container["env"]?.AsArray().FirstOrDefault(e => (string?)e!["name"] == name)?["value"];
    }

    private static List<string> Mounts(JsonNode podSpec, string containers = "containers")
    {
        var volumes = podSpec["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string)v!["hostPath"]!["path"]!, StringComparer.Ordinal);
        return
        [
            .. podSpec[containers]![0]!["volumeMounts"]!.AsArray().Select(m =>
                $"{volumes[(string)m!["name"]!]} -> {(string)m["mountPath"]!} {(m["readOnly"]?.GetValue<bool>() == true ? "ro" : "rw")}{(m["mountPropagation"] is JsonNode p ? " " + (string)p! : "")}"),
        ];
    }

    private static void AssertWellFormed(IEnumerable<JsonObject> objects)
    {
        string[] clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"];
        foreach (var obj in objects)
        {
            Assert.Matches(@"^([a-z0-9.-]+/)?v[0-9]+((alpha|beta)[0-9]+)?$", (string)obj["apiVersion"]!);
            Assert.Matches(@"^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$", Kustomize.Name(obj));
            var ns = (string?)obj["metadata"]!["namespace"];
            Assert.True(clusterScoped.Contains(Kustomize.Kind(obj)) ? ns is null : ns == Namespace, $"{Kustomize.Kind(obj)} {Kustomize.Name(obj)} has namespace '{ns}'");
        }
    }
}
