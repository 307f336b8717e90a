using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliWrap;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c>) driven over the DevTools protocol: opens a page, evaluates
/// JavaScript in it (computed styles, rendered text), and takes a screenshot. One browser per instance.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly string _profile;
    private readonly Task _process;
    private readonly HttpClient _http = new();
    private readonly Uri _endpoint;
    private ClientWebSocket? _page;
    private int _nextId;

    private HeadlessChromium(CancellationTokenSource stop, string profile, Task process, Uri endpoint)
    {
        _stop = stop;
        _profile = profile;
        _process = process;
        _endpoint = endpoint;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("mnp-chromium-").FullName;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        var stop = new CancellationTokenSource();
        var process = CliWrap.Cli.Wrap("chromium")
            .WithArguments(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1400,1000", "about:blank"])
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                stderr.AppendLine(line);
                if (DevToolsLine().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups[1].Value));
                }
            }))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, stop.Token);
        _ = process.Task.ContinueWith(_ => listening.TrySetException(new InvalidOperationException($"chromium exited: {stderr}")), TaskScheduler.Default);
        var ws = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new HeadlessChromium(stop, profile, process.Task, new Uri($"http://{ws.Authority}"));
    }

    /// <summary>Opens <paramref name="file"/> in a new tab and waits until it has loaded.</summary>
    public async Task OpenAsync(string file)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_endpoint, "/json/new?" + new Uri(file).AbsoluteUri));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var target = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        _page = new ClientWebSocket();
        await _page.ConnectAsync(new Uri((string)target["webSocketDebuggerUrl"]!), CancellationToken.None);
        // A new tab starts on a blank document that is already "complete": wait for our page's URL too, and for it
        // to finish loading (a loaded machine can take seconds); never judge a half-loaded page.
        var url = new Uri(file).AbsoluteUri;
        var loaded = $"document.readyState === 'complete' && location.href === {JsonSerializer.Serialize(url)}";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await EvaluateAsync<bool>(loaded))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{file} did not finish loading in 60 s");
            }

            await Task.Delay(100);
        }
    }

    public async Task<T> EvaluateAsync<T>(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is JsonNode error)
        {
            throw new InvalidOperationException($"{expression}: {error.ToJsonString()}");
        }

        return result["result"]!["value"].Deserialize<T>()!;
    }

    /// <summary>A PNG of the whole page (not only the window).</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String((string)result["data"]!);
    }

    public async ValueTask DisposeAsync()
    {
        _page?.Dispose();
        _http.Dispose();
        await _stop.CancelAsync();
        try
        {
            await _process.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // the forceful cancellation is how the browser is stopped
        }

        _stop.Dispose();
        Directory.Delete(_profile, recursive: true);
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        var page = _page ?? throw new InvalidOperationException("no page open");
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await page.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await page.ReceiveAsync(buffer, timeout.Token);
                text.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            var reply = JsonNode.Parse(text.ToArray())!;
            if ((int?)reply["id"] == id)
            {
                return reply["error"] is JsonNode error
                    ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}")
                    : reply["result"]!;
            }
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
