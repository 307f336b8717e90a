using System.Collections.Immutable;
using System.Net;
using Mnp.Agent.Lab;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Host;

/// <summary>
/// Turns the agent's flags (each also settable as <c>MNP_FLAG_NAME</c>, e.g. <c>MNP_SYNC_PERIOD</c>) into
/// <see cref="AgentOptions"/>, checking every value at start: each bad value is one line naming the flag, and all are
/// reported together.
/// </summary>
public static class AgentOptionsReader
{
    public static readonly ImmutableArray<string> Flags =
    [
        "--kubeconfig", "--master", "--manifests", "--lab", "--hostname-override", "--host-prefix", "--container-runtime",
        "--container-runtime-endpoint", "--listen", "--sync-period", "--backend", "--network-plugins", "--accept-icmp",
        "--accept-icmpv6", "--accept-neighbor-discovery", "--ignore-openshift-mnp-agent", "--custom-rules",
    ];

    /// <summary>A custom-rules file is a few lines; anything much larger is not one.</summary>
    public const int MaxCustomRulesBytes = 1 << 20;

    /// <summary>The environment variable that stands for a flag when it is not given.</summary>
    public static string EnvironmentName(string flag) => "MNP_" + flag.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    /// <param name="value">A flag's value (given on the command line, else from its environment variable), null when neither.</param>
    /// <param name="environment">Reads an environment variable (for <c>NODE_NAME</c>).</param>
    /// <param name="labs">Where <c>--lab</c> names are looked up; null: the default lab root.</param>
    public static (AgentOptions? Options, ImmutableArray<string> Errors) Read(Func<string, string?> value, Func<string, string?> environment, LabStore? labs = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = ImmutableArray.CreateBuilder<string>();
        var kubeconfig = value("--kubeconfig");
        var manifests = value("--manifests");
        var lab = value("--lab");
        if (kubeconfig is not null && manifests is not null)
        {
            errors.Add("--kubeconfig and --manifests exclude each other: the cluster comes from the API or from files");
        }

        if (kubeconfig is not null && !File.Exists(kubeconfig))
        {
            errors.Add($"--kubeconfig {kubeconfig}: no such file");
        }

        if (manifests is not null && !Directory.Exists(manifests))
        {
            errors.Add($"--manifests {manifests}: no such directory");
        }

        string? node = value("--hostname-override") ?? environment("NODE_NAME");
        if (lab is not null)
        {
            labs ??= new LabStore();
            try
            {
                LabPlanner.ValidateLabName(lab);
                if (labs.Load(lab) is null)
                {
                    errors.Add($"--lab {lab}: no such lab (mnp lab up --no-rules --lab {lab} -f ... first)");
                }

                node = LabCluster.NodeName(lab);
            }
            catch (LabException e)
            {
                errors.Add($"--lab: {e.Message}");
            }
        }

        var source = kubeconfig is not null ? SourceChoice.Kubeconfig
            : manifests is not null || lab is not null ? SourceChoice.Files
            : SourceChoice.InCluster;
        if (lab is not null && manifests is null && kubeconfig is null)
        {
            manifests = labs!.ManifestsDirectory(lab);
        }

        var hostPrefix = value("--host-prefix") ?? string.Empty;
        if (hostPrefix.Length > 0 && !Directory.Exists(hostPrefix))
        {
            errors.Add($"--host-prefix {hostPrefix}: no such directory");
        }

        if (value("--container-runtime") is { } runtime && runtime != "cri")
        {
            errors.Add($"--container-runtime {runtime}: only 'cri' is supported");
        }

        var endpoint = value("--container-runtime-endpoint");
        if (endpoint is not null)
        {
            endpoint = endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : endpoint;
            if (!endpoint.StartsWith('/'))
            {
                errors.Add($"--container-runtime-endpoint {endpoint}: must be an absolute Unix socket path (unix:///run/containerd/containerd.sock)");
            }
        }

        var listen = ReadListen(value("--listen"), errors);
        var syncPeriod = TimeSpan.FromSeconds(30);
        if (value("--sync-period") is { } period && (!DurationText.TryParse(period, out syncPeriod) || syncPeriod < TimeSpan.FromSeconds(1)))
        {
            errors.Add($"--sync-period {period}: must be a duration of at least 1s (e.g. 30s, 5m)");
        }

        var backend = BackendChoice.Auto;
        if (value("--backend") is { } backendText)
        {
            BackendChoice? parsed = backendText switch
            {
                "auto" => BackendChoice.Auto,
                "iptables" => BackendChoice.Iptables,
                "nftables" => BackendChoice.Nftables,
                _ => null,
            };
            if (parsed is null)
            {
                errors.Add($"--backend {backendText}: must be auto, iptables or nftables");
            }

            backend = parsed ?? BackendChoice.Auto;
        }

        var policy = ReadPolicy(value, errors);
        var ignoreOpenShift = ReadBool(value, "--ignore-openshift-mnp-agent", false, errors);
        if (node is null or "")
        {
            node = Environment.MachineName;
        }

        if (errors.Count > 0)
        {
            return (null, errors.ToImmutable());
        }

        return (new AgentOptions
        {
            Source = source,
            Kubeconfig = kubeconfig,
            Master = value("--master"),
            ManifestsDirectory = manifests,
            Lab = lab,
            NodeName = node,
            HostPrefix = hostPrefix.TrimEnd('/'),
            RuntimeEndpoint = endpoint,
            Listen = listen ?? new IPEndPoint(IPAddress.Any, AgentOptions.DefaultPort),
            SyncPeriod = syncPeriod,
            Backend = backend,
            Policy = policy,
            IgnoreOpenShiftAgent = ignoreOpenShift,
        }, []);
    }

    private static IPEndPoint? ReadListen(string? text, ImmutableArray<string>.Builder errors)
    {
        if (text is null)
        {
            return null;
        }

        var colon = text.LastIndexOf(':');
        if (colon >= 0 && int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            var host = text[..colon];
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }

            if (host.Length == 0)
            {
                return new IPEndPoint(IPAddress.Any, port);
            }

            if (IPAddress.TryParse(host, out var address) && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || text[..colon].StartsWith('[')))
            {
                return new IPEndPoint(address, port);
            }
        }

        errors.Add($"--listen {text}: must be ADDR:PORT (e.g. 0.0.0.0:{AgentOptions.DefaultPort}, [::]:{AgentOptions.DefaultPort}, :{AgentOptions.DefaultPort})");
        return null;
    }

    private static PolicyOptions ReadPolicy(Func<string, string?> value, ImmutableArray<string>.Builder errors)
    {
        var plugins = PolicyOptions.DefaultPlugins;
        if (value("--network-plugins") is { } list)
        {
            plugins = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableHashSet(StringComparer.Ordinal);
            if (plugins.Count == 0)
            {
                errors.Add("--network-plugins: must name at least one CNI type (e.g. macvlan,ipvlan)");
            }
        }

        return new PolicyOptions
        {
            ManagedPlugins = plugins,
            AcceptIcmp = ReadBool(value, "--accept-icmp", false, errors),
            AcceptIcmpV6 = ReadBool(value, "--accept-icmpv6", false, errors),
            AcceptNeighborDiscovery = ReadBool(value, "--accept-neighbor-discovery", true, errors),
            CustomRules = ReadCustomRules(value("--custom-rules"), errors),
        };
    }

    /// <summary>The custom-rules file, read once at start; each bad field is one line (the agent does not start).</summary>
    private static CustomRules ReadCustomRules(string? path, ImmutableArray<string>.Builder errors)
    {
        if (path is null)
        {
            return CustomRules.None;
        }

        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                errors.Add($"--custom-rules {path}: no such file");
                return CustomRules.None;
            }

            if (info.Length > MaxCustomRulesBytes)
            {
                errors.Add($"--custom-rules {path}: {info.Length} bytes, more than the {MaxCustomRulesBytes} a custom-rules file may have");
                return CustomRules.None;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"--custom-rules {path}: cannot be read: {e.Message}");
            return CustomRules.None;
        }

        var (rules, problems) = CustomRulesParser.Parse(text, $"--custom-rules {path}");
        errors.AddRange(problems);
        return rules ?? CustomRules.None;
    }

    private static bool ReadBool(Func<string, string?> value, string flag, bool fallback, ImmutableArray<string>.Builder errors)
    {
        var text = value(flag);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var parsed))
        {
            return parsed;
        }

        errors.Add($"{flag} {text}: must be true or false");
        return fallback;
    }
}
