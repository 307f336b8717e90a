using Microsoft.Extensions.Logging;
using Mnp.Agent.Lab;
using Mnp.Agent.Reconcile;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Policy.Input;

namespace Mnp.Agent.Host;

/// <summary>The real parts for <see cref="AgentOptions"/>: the source, the namespace resolver and the backend.</summary>
internal static class AgentAssembly
{
    public static AgentParts Create(AgentOptions options)
    {
        var owned = new List<IDisposable>();
        var time = TimeProvider.System;
        // The executor's thread is made before any other work, from the host namespace (native.md §8).
        var executor = new NetnsExecutor();
        owned.Add(executor);
        var backend = SelectBackend(options, executor);
        var resolver = new TrackingNetnsResolver(CreateResolver(options, owned));
        var syncer = new ReconcilerPodSyncer(new RuleReconciler(backend, resolver, options.Policy), resolver);
        var (createSource, input, sourceName) = CreateSource(options, time);
        return new AgentParts(createSource, input, syncer, sourceName, "iptables") { Time = time, Owned = owned };
    }

    private static IFirewallBackend SelectBackend(AgentOptions options, NetnsExecutor executor) => options.Backend switch
    {
        BackendChoice.Nftables => throw new AgentStartException("--backend nftables: this build has only the iptables backend"),
        BackendChoice.Auto when !HasLegacyTables() => throw new AgentStartException(
            "--backend auto: the kernel has no legacy ip_tables (and this build has only the iptables backend); load ip_tables and ip6_tables"),
        _ => new IptablesBackend(executor),
    };

    private static bool HasLegacyTables() =>
        File.Exists("/proc/net/ip_tables_names") || Directory.Exists("/sys/module/ip_tables");

    private static INetnsResolver CreateResolver(AgentOptions options, List<IDisposable> owned)
    {
        if (options.Lab is { } lab)
        {
            return new LabAgentNetnsResolver(new NamedNetns(), new LabStore(), lab);
        }

        var resolver = Cri.CriNetnsResolver.Create(options.HostPrefix, options.RuntimeEndpoint);
        owned.Add(resolver);
        return resolver;
    }

    private static (Func<ILoggerFactory, IClusterSource> Create, SnapshotInputOptions Input, string Name) CreateSource(AgentOptions options, TimeProvider time)
    {
        if (options.Source == SourceChoice.Files)
        {
            var directory = options.ManifestsDirectory!;
            return (logs => new ManifestDirectorySource(directory, options.PollInterval, time, logs.CreateLogger<ManifestDirectorySource>()),
                SnapshotInputOptions.Manifests, $"files {directory}");
        }

        var config = Sources.Kubernetes.KubeApiClient.LoadConfiguration(options.Kubeconfig, options.Master);
        return (logs => Sources.Kubernetes.KubernetesSource.Create(config, time, logs), SnapshotInputOptions.Cluster,
            options.Kubeconfig is null ? "in-cluster API" : $"API via {options.Kubeconfig}");
    }
}
