using System.Collections.Concurrent;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Mnp.Agent.Cri.V1;
using Mnp.Agent.Reconcile;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Cri;

/// <summary>
/// A pod's network namespace through CRI (containerd or CRI-O) on the runtime's Unix socket: the pod's ready sandbox
/// by the <c>io.kubernetes.pod.uid</c> label (the newest if several), then its verbose status
/// (<see cref="SandboxNetns"/>), all under <c>--host-prefix</c>. The answer is cached per pod UID and re-read only
/// when the sandbox id changes or its namespace file is gone. Failures are <see cref="NetnsResolutionException"/>s
/// (the sync retries them with backoff).
/// </summary>
public sealed class CriNetnsResolver : INetnsResolver, IDisposable
{
    public const string PodUidLabel = "io.kubernetes.pod.uid";

    public static readonly string[] KnownSockets = ["/run/containerd/containerd.sock", "/run/crio/crio.sock"];

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel _channel;
    private readonly RuntimeService.RuntimeServiceClient _client;
    private readonly string _hostPrefix;
    private readonly string _socket;
    private readonly ConcurrentDictionary<string, (string SandboxId, NetnsRef Netns)> _cache = new(StringComparer.Ordinal);

    public CriNetnsResolver(string socketPath, string hostPrefix)
    {
        _socket = socketPath;
        _hostPrefix = hostPrefix;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socket), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _client = new RuntimeService.RuntimeServiceClient(_channel);
    }

    /// <summary>The resolver for <c>--container-runtime-endpoint</c> (host path) under <c>--host-prefix</c>; null endpoint: the first known socket that exists.</summary>
    public static CriNetnsResolver Create(string hostPrefix, string? endpoint)
    {
        var socket = endpoint is not null
            ? hostPrefix + endpoint
            : KnownSockets.Select(s => hostPrefix + s).FirstOrDefault(File.Exists) ?? hostPrefix + KnownSockets[0];
        return new CriNetnsResolver(socket, hostPrefix);
    }

    public async ValueTask<NetnsRef> ResolveAsync(PodInfo pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        try
        {
            var sandbox = await ReadySandboxAsync(pod, cancellationToken).ConfigureAwait(false);
            if (_cache.TryGetValue(pod.Uid, out var cached) && cached.SandboxId == sandbox.Id && File.Exists(cached.Netns.Path))
            {
                return cached.Netns;
            }

            var netns = await SandboxNetnsAsync(pod.Key, sandbox.Id, cancellationToken).ConfigureAwait(false);
            _cache[pod.Uid] = (sandbox.Id, netns);
            return netns;
        }
        catch (RpcException e)
        {
            throw new NetnsResolutionException($"pod {pod.Key}: CRI {_socket}: {e.Status.StatusCode}: {e.Status.Detail}", e);
        }
    }

    /// <summary>
    /// Every pod with a ready sandbox (the newest per pod UID) and its namespace, for the verbs that visit every local
    /// pod (inspect, cleanup); a sandbox whose namespace cannot be found is reported in <c>Problems</c>, not returned.
    /// </summary>
    public async Task<(IReadOnlyList<CriPod> Pods, IReadOnlyList<string> Problems)> ListReadyPodsAsync(CancellationToken cancellationToken)
    {
        var pods = new List<CriPod>();
        var problems = new List<string>();
        try
        {
            var request = new ListPodSandboxRequest { Filter = new PodSandboxFilter { State = new PodSandboxStateValue { State = PodSandboxState.SandboxReady } } };
            var response = await _client.ListPodSandboxAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            var newest = response.Items.Where(s => s.State == PodSandboxState.SandboxReady)
                .GroupBy(s => s.Metadata?.Uid ?? s.Id, StringComparer.Ordinal).Select(g => g.MaxBy(s => s.CreatedAt)!);
            foreach (var sandbox in newest)
            {
                var key = $"{sandbox.Metadata?.Namespace}/{sandbox.Metadata?.Name}";
                try
                {
                    pods.Add(new CriPod(sandbox.Metadata?.Namespace ?? string.Empty, sandbox.Metadata?.Name ?? string.Empty, sandbox.Metadata?.Uid ?? string.Empty,
                        await SandboxNetnsAsync(key, sandbox.Id, cancellationToken).ConfigureAwait(false)));
                }
                catch (NetnsResolutionException e)
                {
                    problems.Add(e.Message);
                }
            }
        }
        catch (RpcException e)
        {
            throw new NetnsResolutionException($"CRI {_socket}: {e.Status.StatusCode}: {e.Status.Detail}", e);
        }

        return ([.. pods.OrderBy(p => p.Key, StringComparer.Ordinal)], problems);
    }

    /// <summary>Forgets pods that are gone.</summary>
    public void Forget(string uid) => _cache.TryRemove(uid, out _);

    public void Dispose() => _channel.Dispose();

    private async Task<NetnsRef> SandboxNetnsAsync(string podKey, string sandboxId, CancellationToken cancellationToken)
    {
        var status = await _client.PodSandboxStatusAsync(
            new PodSandboxStatusRequest { PodSandboxId = sandboxId, Verbose = true },
            deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        status.Info.TryGetValue("info", out var info);
        var hostPath = SandboxNetns.HostPath(info, out var why)
            ?? throw new NetnsResolutionException($"pod {podKey}: sandbox {Short(sandboxId)}: {why}");
        var netns = NetnsRef.OnHost(hostPath, _hostPrefix);
        if (!File.Exists(netns.Path))
        {
            throw new NetnsResolutionException($"pod {podKey}: sandbox {Short(sandboxId)}: network namespace {netns.Path} not found" +
                (_hostPrefix.Length > 0 ? " (is it mounted under --host-prefix, with mountPropagation HostToContainer?)" : string.Empty));
        }

        return netns;
    }

    private async Task<PodSandbox> ReadySandboxAsync(PodInfo pod, CancellationToken cancellationToken)
    {
        var request = new ListPodSandboxRequest
        {
            Filter = new PodSandboxFilter { State = new PodSandboxStateValue { State = PodSandboxState.SandboxReady } },
        };
        request.Filter.LabelSelector.Add(PodUidLabel, pod.Uid);
        var response = await _client.ListPodSandboxAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Items.Where(s => s.State == PodSandboxState.SandboxReady).MaxBy(s => s.CreatedAt)
            ?? throw new NetnsResolutionException($"pod {pod.Key}: no ready sandbox with {PodUidLabel}={pod.Uid} in CRI {_socket} yet");
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
