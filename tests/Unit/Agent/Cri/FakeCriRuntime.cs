using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Cri.V1;

namespace Mnp.Tests.Unit.Agent.Cri;

/// <summary>A CRI runtime on a Unix socket (gRPC over HTTP/2, Kestrel): sandboxes with labels and the verbose info JSON a runtime would give.</summary>
internal sealed class FakeCriRuntime : RuntimeService.RuntimeServiceBase, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (PodSandbox Sandbox, string Info)> _sandboxes = new();
    private WebApplication? _app;

    public string Socket { get; } = Path.Combine(Path.GetTempPath(), $"mnp-cri-{Guid.NewGuid():N}.sock");

    public int StatusCalls;

    public static async Task<FakeCriRuntime> StartAsync()
    {
        var runtime = new FakeCriRuntime();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(runtime.Socket, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(runtime);
        runtime._app = builder.Build();
        runtime._app.MapGrpcService<FakeCriRuntime>();
        await runtime._app.StartAsync();
        return runtime;
    }

    public void AddSandbox(string id, string podUid, long createdAt, string infoJson, PodSandboxState state = PodSandboxState.SandboxReady, string? pod = null)
    {
        var (ns, name) = pod?.Split('/') is [var n, var m] ? (n, m) : (string.Empty, string.Empty);
        var sandbox = new PodSandbox { Id = id, State = state, CreatedAt = createdAt, Metadata = new PodSandboxMetadata { Uid = podUid, Namespace = ns, Name = name } };
        sandbox.Labels.Add("io.kubernetes.pod.uid", podUid);
        _sandboxes[id] = (sandbox, infoJson);
    }

    public void RemoveSandbox(string id) => _sandboxes.TryRemove(id, out _);

    public override Task<ListPodSandboxResponse> ListPodSandbox(ListPodSandboxRequest request, ServerCallContext context)
    {
        var response = new ListPodSandboxResponse();
        response.Items.AddRange(_sandboxes.Values.Select(s => s.Sandbox).Where(s =>
            (request.Filter?.State is null || request.Filter.State.State == s.State)
            && (request.Filter?.LabelSelector ?? []).All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)));
        return Task.FromResult(response);
    }

    public override Task<PodSandboxStatusResponse> PodSandboxStatus(PodSandboxStatusRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref StatusCalls);
        if (!_sandboxes.TryGetValue(request.PodSandboxId, out var entry))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"sandbox {request.PodSandboxId} not found"));
        }

        var response = new PodSandboxStatusResponse { Status = new PodSandboxStatus { Id = entry.Sandbox.Id, State = entry.Sandbox.State } };
        if (request.Verbose)
        {
            response.Info.Add("info", entry.Info);
        }

        return Task.FromResult(response);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        File.Delete(Socket);
    }
}
