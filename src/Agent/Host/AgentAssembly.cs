using Microsoft.Extensions.Logging;
using Mnp.Agent.Lab;
using Mnp.Agent.Reconcile;
using Mnp.Agent.Observability.Events;
using Mnp.Agent.Sources;
using Mnp.Agent.Sources.Kubernetes;
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
        // The executor's thread is made before any other work, from the host namespace (docs/native.md §8).
        var executor = new NetnsExecutor();
        owned.Add(executor);
        var backend = SelectBackend(options, executor);
        var resolver = new TrackingNetnsResolver(CreateResolver(options, owned));
        var syncer = new ReconcilerPodSyncer(new RuleReconciler(backend, resolver, options.Policy), resolver);
        var backendName = backend.Kind == FirewallBackendKind.Nftables ? "nftables" : "iptables";
        if (options.Source == SourceChoice.Files)
        {
            var directory = options.ManifestsDirectory!;
            return new AgentParts(
                logs => new ManifestDirectorySource(directory, options.PollInterval, time, logs.CreateLogger<ManifestDirectorySource>()),
                SnapshotInputOptions.Manifests, syncer, $"files {directory}", backendName)
            { Time = time, Owned = owned };
        }

        var api = new KubeApiClient(KubeApiClient.LoadConfiguration(options.Kubeconfig, options.Master));
        owned.Add(api);
        var events = new KubeEventPublisher(api, options.NodeName, time);
        return new AgentParts(logs => new KubernetesSource(api, time, logs), SnapshotInputOptions.Cluster, syncer,
            options.Kubeconfig is null ? "in-cluster API" : $"API via {options.Kubeconfig}", backendName)
        {
            Time = time,
            Owned = owned,
            PublishEvent = events.PublishAsync,
        };
    }

    /// <summary>
    /// <c>auto</c>: iptables where the kernel has the legacy tables, else nftables. The chosen backend also removes
    /// what the other one holds of ours in each pod (a node switching backends), when the other is usable here.
    /// </summary>
    private static IFirewallBackend SelectBackend(AgentOptions options, NetnsExecutor executor)
    {
        var legacy = HasLegacyTables();
        var nftables = options.Backend == BackendChoice.Nftables || (options.Backend == BackendChoice.Auto && !legacy);
        BackendPreflight.Check(nftables, legacy, BackendPreflight.ProbeNftables);
        if (nftables)
        {
            var backend = new Mnp.Native.Nftables.NftablesBackend(executor);
            return legacy ? new SwitchingBackend(backend, new IptablesBackend(executor)) : backend;
        }

        return new SwitchingBackend(new IptablesBackend(executor), new Mnp.Native.Nftables.NftablesBackend(executor));
    }

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
}
