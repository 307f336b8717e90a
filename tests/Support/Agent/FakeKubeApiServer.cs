using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mnp.Tests.Support.Agent;

/// <summary>
/// An in-process Kubernetes API server on loopback (Kestrel, port 0) that speaks real list and watch: paged lists
/// with a resourceVersion, chunked newline-delimited watch events replayed from a resourceVersion, bookmarks, and
/// ERROR 410 for versions older than the last compaction. Faults on demand: dropped watch connections, expiry (410),
/// an outage (503 on everything, watches cut), slow answers. In the style of kubernetes-client/csharp's MockKubeApiServer.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    public const string PodsPath = "/api/v1/pods";
    public const string NamespacesPath = "/api/v1/namespaces";
    public const string NetworksPath = "/apis/k8s.cni.cncf.io/v1/network-attachment-definitions";
    public const string PoliciesV1Beta1Path = "/apis/k8s.cni.cncf.io/v1beta1/multi-networkpolicies";
    public const string PoliciesV1Beta2Path = "/apis/k8s.cni.cncf.io/v1beta2/multi-networkpolicies";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly List<(long Version, string Path, string Line)> _log = [];
    private readonly ConcurrentDictionary<Channel<string>, (string Path, HttpContext Context)> _watchers = new();
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _single = new(StringComparer.Ordinal);
    private long _version = 100;
    private long _compacted;
    private string? _kubeconfig;

    private FakeKubeApiServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>Every request is answered 503 and every watch is cut while true.</summary>
    public bool Unavailable { get; private set; }

    /// <summary>How long a list takes to answer.</summary>
    public TimeSpan ListDelay { get; set; }

    public bool ServeV1Beta2 { get; set; }

    /// <summary>The page size used when a list asks for more.</summary>
    public int MaxPage { get; set; } = 2;

    /// <summary>Creates answer 409 AlreadyExists (an Event posted before a restart); reads of it answer count 1.</summary>
    public bool ConflictOnCreate { get; set; }

    public int ListRequests;
    public int WatchRequests;
    public ConcurrentQueue<(string Method, string Path, string Body)> Writes { get; } = new();

    /// <summary>Every request as (method, path, query), in arrival order: what a ClusterRole must grant.</summary>
    public ConcurrentQueue<(string Method, string Path, string Query)> Requests { get; } = new();

    /// <summary>Serves <paramref name="obj"/> on GET <paramref name="path"/> (an object outside the four watched kinds, e.g. the OpenShift network config).</summary>
    public void ServeObject(string path, JsonObject obj) => _single[path] = obj;

    public int ActiveWatches => _watchers.Count;

    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeKubeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    /// <summary>
    /// The path of a kubeconfig file pointing at this server, written in the temp folder on first use and deleted on
    /// dispose: what a test that only needs to reach the server uses, so that none writes and cleans up its own.
    /// </summary>
    public string Kubeconfig => _kubeconfig ??= WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"mnp-kubeconfig-{Guid.NewGuid():N}.yaml"));

    /// <summary>A kubeconfig file pointing at this server (a bearer token, which it ignores).</summary>
    public string WriteKubeconfig(string path)
    {
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"}name: fake, cluster: {"{"}server: "{Address.ToString().TrimEnd('/')}"{"}"}{"}"}]
            users: [{"{"}name: fake, user: {"{"}token: fake-token{"}"}{"}"}]
            contexts: [{"{"}name: fake, context: {"{"}cluster: fake, user: fake{"}"}{"}"}]
            current-context: fake
            """);
        return path;
    }

    public static string PathOf(string kind, string apiVersion) => kind switch
    {
        "Pod" => PodsPath,
        "Namespace" => NamespacesPath,
        "NetworkAttachmentDefinition" => NetworksPath,
        "MultiNetworkPolicy" => apiVersion.EndsWith("v1beta2", StringComparison.Ordinal) ? PoliciesV1Beta2Path : PoliciesV1Beta1Path,
        _ => throw new ArgumentException(kind, nameof(kind)),
    };

    /// <summary>Creates or replaces an object (kind, apiVersion and metadata.name/namespace taken from it); watchers get ADDED or MODIFIED.</summary>
    public void Upsert(JsonObject obj)
    {
        var kind = obj["kind"]!.GetValue<string>();
        var path = PathOf(kind, obj["apiVersion"]?.GetValue<string>() ?? "v1");
        lock (_gate)
        {
            var objects = Objects(path);
            var key = Key(obj);
            var type = objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            var copy = (JsonObject)obj.DeepClone();
            ((JsonObject)copy["metadata"]!)["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            objects[key] = copy;
            Publish(path, type, copy);
        }
    }

    public bool Delete(string kind, string? ns, string name, string apiVersion = "v1")
    {
        var path = PathOf(kind, apiVersion);
        lock (_gate)
        {
            var key = $"{ns}/{name}";
            if (!Objects(path).Remove(key, out var obj))
            {
                return false;
            }

            var copy = (JsonObject)obj.DeepClone();
            ((JsonObject)copy["metadata"]!)["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            Publish(path, "DELETED", copy);
            return true;
        }
    }

    /// <summary>Every object it holds, as served.</summary>
    public IReadOnlyList<JsonObject> AllObjects()
    {
        lock (_gate)
        {
            return [.. _objects.Values.SelectMany(o => o.Values).Select(o => (JsonObject)o.DeepClone())];
        }
    }

    /// <summary>Cuts every open watch connection (no final event), as a load balancer or API restart does.</summary>
    public void DropWatches()
    {
        foreach (var (channel, watcher) in _watchers)
        {
            channel.Writer.TryComplete();
            try
            {
                watcher.Context.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The watch request ended (its channel completed) between the snapshot and here: nothing left to cut.
            }
        }
    }

    /// <summary>Compacts history: every watch gets ERROR 410, and watches from older versions are refused the same way.</summary>
    public void Expire()
    {
        lock (_gate)
        {
            _compacted = _version;
            _log.Clear();
            foreach (var (channel, _) in _watchers)
            {
                channel.Writer.TryWrite(Gone());
                channel.Writer.TryComplete();
            }
        }
    }

    /// <summary>Sends a BOOKMARK with the current resourceVersion to every watcher.</summary>
    public void Bookmark()
    {
        lock (_gate)
        {
            foreach (var (channel, watcher) in _watchers)
            {
                var kind = watcher.Path switch { PodsPath => "Pod", NamespacesPath => "Namespace", _ => "Object" };
                var obj = new JsonObject { ["kind"] = kind, ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) } };
                channel.Writer.TryWrite(new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }.ToJsonString());
            }
        }
    }

    public void SetUnavailable(bool unavailable)
    {
        Unavailable = unavailable;
        if (unavailable)
        {
            DropWatches();
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_kubeconfig is not null)
        {
            File.Delete(_kubeconfig);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue((context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty));
        if (Unavailable)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("""{"kind":"Status","code":503,"message":"unavailable"}""");
            return;
        }

        if (context.Request.Method == "GET" && path.Contains("/events/", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("""{"kind":"Event","count":1}""");
            return;
        }

        if (context.Request.Method != "GET")
        {
            using var reader = new StreamReader(context.Request.Body);
            Writes.Enqueue((context.Request.Method, path, await reader.ReadToEndAsync()));
            context.Response.StatusCode = context.Request.Method != "POST" ? 200 : ConflictOnCreate ? 409 : 201;
            await context.Response.WriteAsync("{}");
            return;
        }

        if (_single.TryGetValue(path, out var single))
        {
            await context.Response.WriteAsync(single.ToJsonString());
            return;
        }

        if (path == "/apis/k8s.cni.cncf.io/v1beta2")
        {
            context.Response.StatusCode = ServeV1Beta2 ? 200 : 404;
            await context.Response.WriteAsync(ServeV1Beta2 ? """{"kind":"APIResourceList","resources":[{"name":"multi-networkpolicies"}]}""" : "{}");
            return;
        }

        if (path is not (PodsPath or NamespacesPath or NetworksPath or PoliciesV1Beta1Path or PoliciesV1Beta2Path))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (context.Request.Query["watch"] == "true")
        {
            await WatchAsync(context, path, context.Request.Query["resourceVersion"].ToString());
        }
        else
        {
            await ListAsync(context, path);
        }
    }

    private async Task ListAsync(HttpContext context, string path)
    {
        Interlocked.Increment(ref ListRequests);
        if (ListDelay > TimeSpan.Zero)
        {
            await Task.Delay(ListDelay, context.RequestAborted);
        }

        var start = int.TryParse(context.Request.Query["continue"], CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        var limit = int.TryParse(context.Request.Query["limit"], CultureInfo.InvariantCulture, out var l) ? Math.Min(l, MaxPage) : MaxPage;
        string body;
        lock (_gate)
        {
            var all = Objects(path).Values.ToList();
            var page = all.Skip(start).Take(limit).Select(o => (JsonNode)o.DeepClone()).ToArray();
            var metadata = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) };
            if (start + limit < all.Count)
            {
                metadata["continue"] = (start + limit).ToString(CultureInfo.InvariantCulture);
            }

            body = new JsonObject { ["kind"] = "List", ["metadata"] = metadata, ["items"] = new JsonArray(page) }.ToJsonString();
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private async Task WatchAsync(HttpContext context, string path, string resourceVersion)
    {
        Interlocked.Increment(ref WatchRequests);
        var channel = Channel.CreateUnbounded<string>();
        lock (_gate)
        {
            var from = long.TryParse(resourceVersion, CultureInfo.InvariantCulture, out var v) ? v : 0;
            if (from < _compacted)
            {
                channel.Writer.TryWrite(Gone());
                channel.Writer.TryComplete();
            }
            else
            {
                foreach (var entry in _log.Where(e => e.Path == path && e.Version > from))
                {
                    channel.Writer.TryWrite(entry.Line);
                }

                _watchers[channel] = (path, context);
            }
        }

        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.StartAsync(context.RequestAborted);
            await foreach (var line in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away or the connection was cut
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    private void Publish(string path, string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();
        _log.Add((_version, path, line));
        foreach (var (channel, watcher) in _watchers)
        {
            if (watcher.Path == path)
            {
                channel.Writer.TryWrite(line);
            }
        }
    }

    private static string Gone() =>
        """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}}""";

    private SortedDictionary<string, JsonObject> Objects(string path)
    {
        if (!_objects.TryGetValue(path, out var objects))
        {
            objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[path] = objects;
        }

        return objects;
    }

    private static string Key(JsonObject obj)
    {
        var metadata = obj["metadata"]!;
        return $"{metadata["namespace"]?.GetValue<string>()}/{metadata["name"]!.GetValue<string>()}";
    }
}
