using Microsoft.Extensions.Logging;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Policy.Input;

namespace Mnp.Agent.Host;

/// <summary>What the host is assembled from: where the cluster comes from and who writes rules (real in <see cref="AgentHost.RunAsync"/>, fakes in tests).</summary>
public sealed record AgentParts(Func<ILoggerFactory, IClusterSource> CreateSource, SnapshotInputOptions Input, IPodSyncer Syncer, string SourceName, string BackendName)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Posts an Event (the API source); null: no Events (files), problems are logged only.</summary>
    public Func<Observability.Events.AgentEvent, CancellationToken, Task>? PublishEvent { get; init; }

    /// <summary>Done when the process stops (the executor, the CRI channel).</summary>
    public IReadOnlyList<IDisposable> Owned { get; init; } = [];
}
