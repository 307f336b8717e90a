using System.Text.Json;

namespace Mnp.Agent.Cri;

/// <summary>
/// Reads a sandbox's network namespace out of <c>PodSandboxStatus(verbose).info["info"]</c> (containerd's
/// SandboxInfo and CRI-O's info share the keys used here): the runtime spec's
/// <c>linux.namespaces[type=network].path</c>, else the sandbox <c>pid</c> as <c>/proc/PID/ns/net</c>. Paths are the
/// host's; the caller puts them under <c>--host-prefix</c>.
/// </summary>
public static class SandboxNetns
{
    /// <summary>The host path of the namespace file; null with <paramref name="why"/> when the info names neither a path nor a pid.</summary>
    public static string? HostPath(string? infoJson, out string why)
    {
        why = string.Empty;
        if (string.IsNullOrWhiteSpace(infoJson))
        {
            why = "the runtime gave no verbose info";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(infoJson);
            var root = document.RootElement;
            if (NetworkPath(root) is { Length: > 0 } path)
            {
                return path;
            }

            if (root.TryGetProperty("pid", out var pid) && pid.TryGetInt64(out var number) && number > 0)
            {
                return $"/proc/{number}/ns/net";
            }

            why = "the runtime's verbose info has no network namespace path and no pid";
            return null;
        }
        catch (JsonException e)
        {
            why = $"the runtime's verbose info is not JSON ({e.Message})";
            return null;
        }
    }

    private static string? NetworkPath(JsonElement root)
    {
        if (!root.TryGetProperty("runtimeSpec", out var spec) || spec.ValueKind != JsonValueKind.Object
            || !spec.TryGetProperty("linux", out var linux) || linux.ValueKind != JsonValueKind.Object
            || !linux.TryGetProperty("namespaces", out var namespaces) || namespaces.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var ns in namespaces.EnumerateArray())
        {
            if (ns.ValueKind == JsonValueKind.Object && ns.TryGetProperty("type", out var type) && type.GetString() == "network")
            {
                return ns.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String ? path.GetString() : null;
            }
        }

        return null;
    }
}
