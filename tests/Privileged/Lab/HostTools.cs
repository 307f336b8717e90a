using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Privileged.Lab;

/// <summary>iproute2 as the independent witness of what the lab made.</summary>
internal static class HostTools
{
    public static async Task<string> IpAsync(params string[] arguments)
    {
        var result = await Cli.Wrap("ip").WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {result.StandardError.Trim()}");
    }

    public static async Task<JsonElement> IpJsonAsync(params string[] arguments)
    {
        using var document = JsonDocument.Parse(await IpAsync(["-j", .. arguments]));
        return document.RootElement.Clone();
    }

    public static async Task<List<string>> NetnsNamesAsync()
    {
        var text = await IpAsync("netns", "list");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])];
    }

    public static async Task<List<string>> HostLinkNamesAsync()
    {
        var links = await IpJsonAsync("link");
        return [.. links.EnumerateArray().Select(l => l.GetProperty("ifname").GetString() ?? string.Empty)];
    }
}
