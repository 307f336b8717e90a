using System.Collections.Immutable;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;

namespace Mnp.Agent.Sources.Kubernetes;

/// <summary>
/// The few API calls the agent makes, over the KubernetesClient's authenticated HTTP stack: paged lists, watch streams
/// (newline-delimited JSON events, read as they arrive), discovery and Events. Raw HTTP rather than the typed client so
/// that a 410 is seen the same whether it comes as a status or as an ERROR event, and nothing bigger than one item is
/// kept alive.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    private const int PageSize = 500;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly k8s.Kubernetes _kubernetes;
    private readonly EntryHandler _entry;
    private readonly HttpClient _http;
    private readonly Uri _base;

    public KubeApiClient(KubernetesClientConfiguration configuration)
    {
        // The client wires this handler in front of its TLS and client-certificate stack; our requests enter there.
        _entry = new EntryHandler();
        _kubernetes = new k8s.Kubernetes(configuration, _entry);
        _http = new HttpClient(_entry, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var root = _kubernetes.BaseUri.ToString();
        _base = new Uri(root.EndsWith('/') ? root : root + "/");
    }

    /// <summary>The kubeconfig file's current context, or the in-cluster service account when <paramref name="kubeconfig"/> is null.</summary>
    public static KubernetesClientConfiguration LoadConfiguration(string? kubeconfig, string? master)
    {
        var config = kubeconfig is null
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, currentContext: null, masterUrl: master);
        if (kubeconfig is null && master is not null)
        {
            config.Host = master;
        }

        return config;
    }

    public async Task<ListResult> ListAsync(string path, CancellationToken cancellationToken)
    {
        var items = ImmutableArray.CreateBuilder<JsonElement>();
        string? next = null;
        string resourceVersion;
        do
        {
            var query = $"{path}?limit={PageSize}" + (next is null ? string.Empty : $"&continue={Uri.EscapeDataString(next)}");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            using var response = await SendAsync(HttpMethod.Get, query, null, null, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            await ThrowIfFailedAsync(response, timeout.Token).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), default, timeout.Token).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    items.Add(item.Clone());
                }
            }

            var metadata = root.TryGetProperty("metadata", out var m) ? m : default;
            resourceVersion = Text(metadata, "resourceVersion") ?? string.Empty;
            next = Text(metadata, "continue") is { Length: > 0 } token ? token : null;
        }
        while (next is not null);

        return new ListResult(items.ToImmutable(), resourceVersion);
    }

    /// <summary>Events from <paramref name="resourceVersion"/> on; ends when the server closes the stream. Throws <see cref="KubeApiException"/> (410: <see cref="KubeApiException.IsGone"/>).</summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string path, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = $"{path}?watch=true&allowWatchBookmarks=true&timeoutSeconds={Random.Shared.Next(240, 360)}&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var response = await SendAsync(HttpMethod.Get, query, null, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            WatchEvent watchEvent;
            using (var document = JsonDocument.Parse(line))
            {
                var root = document.RootElement;
                var type = Text(root, "type") ?? string.Empty;
                var obj = root.TryGetProperty("object", out var o) ? o.Clone() : default;
                if (type == "ERROR")
                {
                    var code = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 500;
                    throw new KubeApiException((HttpStatusCode)code, $"watch error {code}: {Text(obj, "message") ?? "no message"}");
                }

                watchEvent = new WatchEvent(type, obj);
            }

            yield return watchEvent;
        }
    }

    /// <summary>Whether <paramref name="groupVersion"/> (e.g. <c>k8s.cni.cncf.io/v1beta2</c>) serves <paramref name="resource"/>; false when the version is unknown.</summary>
    public async Task<bool> IsServedAsync(string groupVersion, string resource, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/apis/{groupVersion}", null, null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), default, cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array
            && resources.EnumerateArray().Any(r => Text(r, "name") == resource);
    }

    /// <summary>Sends a JSON body (Events); returns the status.</summary>
    public async Task<HttpStatusCode> SendJsonAsync(HttpMethod method, string path, string json, string contentType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, json, contentType, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary>One object: the status, and the body when it is 2xx JSON (null otherwise).</summary>
    public async Task<(HttpStatusCode Status, JsonElement? Body)> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null);
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), default, cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>The <c>count</c> of an existing object (an Event); 0 when it has none or cannot be read.</summary>
    public async Task<int> GetCountAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), default, cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("count", out var count) && count.TryGetInt32(out var n) ? n : 0;
    }

    public void Dispose()
    {
        _http.Dispose();
        _kubernetes.Dispose();
        _entry.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? body, string? contentType, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, pathAndQuery.TrimStart('/')));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType ?? "application/json");
        }

        if (_kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = text.Length > 200 ? text[..200] : text;
        throw new KubeApiException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {message.ReplaceLineEndings(" ")}");
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A pass-through handler whose inner handler the KubernetesClient sets.</summary>
    private sealed class EntryHandler : DelegatingHandler;
}
