using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Mnp.Agent.Cli;

/// <summary><c>mnp version [-o text|json]</c>: the build (version, commit, runtime) and which backends can run on this machine.</summary>
internal sealed class VersionCommand : Command
{
    private readonly Option<string> _output = CommonOptions.Output("text", "text", "json");

    public VersionCommand()
        : base("version", "Print the version, commit, runtime and the firewall backends available here")
    {
        Options.Add(_output);
        SetAction(result =>
        {
            var build = BuildIdentity.Current;
            var backends = BackendAvailability.Probe();
            Console.Out.Write(result.GetValue(_output) == "json" ? Json(build, backends) : Text(build, backends));
            return 0;
        });
    }

    internal static string Text(BuildIdentity build, IReadOnlyList<BackendAvailability> backends)
    {
        var text = new StringBuilder();
        text.Append($"mnp {build.Version} (commit {build.Commit})\n");
        text.Append($"runtime: {build.Runtime} {build.Platform}\n");
        foreach (var backend in backends)
        {
            text.Append($"backend {backend.Name}: {(backend.Available ? "available" : "unavailable")} ({backend.Detail})\n");
        }

        return text.ToString();
    }

    internal static string Json(BuildIdentity build, IReadOnlyList<BackendAvailability> backends)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("version", build.Version);
            json.WriteString("commit", build.Commit);
            json.WriteString("runtime", build.Runtime);
            json.WriteString("platform", build.Platform);
            json.WriteStartArray("backends");
            foreach (var backend in backends)
            {
                json.WriteStartObject();
                json.WriteString("name", backend.Name);
                json.WriteBoolean("available", backend.Available);
                json.WriteString("detail", backend.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
