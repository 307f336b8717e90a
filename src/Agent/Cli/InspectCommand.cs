using System.CommandLine;
using Mnp.Agent.Cri;
using Mnp.Agent.Lab;
using Mnp.Agent.Operations;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Native.Nftables;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Cli;

/// <summary>
/// <c>mnp inspect NS/POD... | --all [--lab NAME] [--diff [-f PATH... | --kubeconfig FILE]] [-o text|json]</c>: the rules
/// really in each local pod's network namespace, read through both backends' native readers and annotated with the
/// policy rule each comes from; with <c>--diff</c>, every difference from what the engine computes (the lab's
/// manifests with <c>--lab</c>, else <c>-f</c>, else the API). Pods come from the lab's state or from CRI.
/// Exit 0: read, and no difference; 4: a difference; other non-zero: an error.
/// </summary>
internal sealed class InspectCommand : Command
{
    public const int DifferenceExitCode = 4;

    private readonly Argument<string[]> _pods = new("pods") { Description = "Pods as NS/NAME", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<bool> _all = new("--all") { Description = "Every local pod" };
    private readonly Option<string?> _lab = new("--lab") { Description = "Inspect a lab's pods instead of this node's (CRI)" };
    private readonly Option<bool> _diff = new("--diff") { Description = "Name every difference from what the engine computes (exit 4 when there is one)" };
    private readonly Option<string[]> _files = CommonOptions.Files();
    private readonly Option<string?> _kubeconfig = new("--kubeconfig") { Description = "With --diff: compare with the cluster this kubeconfig reaches" };
    private readonly Option<string?> _context = new("--context") { Description = "The kubeconfig context to use" };
    private readonly Option<string> _output = CommonOptions.Output("text", "text", "json");
    private readonly Option<string> _backend = new("--backend") { Description = "With --diff: the backend meant to hold the rules (auto: the one holding ours)", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> _hostPrefix = NodeOptions.HostPrefix();
    private readonly Option<string?> _runtime = NodeOptions.RuntimeEndpoint();
    private readonly PolicyOptionSet _policy = new();

    public InspectCommand()
        : base("inspect", "Show the rules in each pod's network namespace, annotated; --diff names every drift from the engine")
    {
        _files.Required = false;
        _files.Description = "With --diff: compare with these manifests";
        _backend.AcceptOnlyFromAmong("auto", "iptables", "nftables");
        Arguments.Add(_pods);
        foreach (var option in new Option[] { _all, _lab, _diff, _files, _kubeconfig, _context, _output, _backend, _hostPrefix, _runtime })
        {
            Options.Add(option);
        }

        _policy.AddTo(this);
        SetAction((result, cancellationToken) =>
            CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), cancellationToken, CliRunner.OnSignal.StopAtOnce, token => RunAsync(result, token)));
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var keys = result.GetValue(_pods) ?? [];
        var all = result.GetValue(_all);
        var diff = result.GetValue(_diff);
        var files = result.GetValue(_files) ?? [];
        var kubeconfig = result.GetValue(_kubeconfig);
        var lab = result.GetValue(_lab);
        if (all == (keys.Length > 0))
        {
            throw new CliException(all ? "inspect: give pods or --all, not both" : "inspect: name pods as NS/NAME, or give --all", 2);
        }

        if (!diff && (files.Length > 0 || kubeconfig is not null))
        {
            throw new CliException($"inspect: {(files.Length > 0 ? "-f" : "--kubeconfig")} is what --diff compares with; add --diff", 2);
        }

        if (files.Length > 0 && kubeconfig is not null)
        {
            throw new CliException("inspect: -f and --kubeconfig exclude each other: the objects come from files or from the API", 2);
        }

        foreach (var key in keys.Where(k => k.Split('/') is not [{ Length: > 0 }, { Length: > 0 }]))
        {
            throw new CliException($"inspect: {key}: a pod is named NS/NAME", 2);
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new CliException("inspect: needs root (enters pod network namespaces to read their rules)");
        }

        using var executor = new NetnsExecutor();
        var inspector = new Inspector(new LiveRuleReader(new IptablesBackend(executor), new NftablesBackend(executor)));
        var given = _policy.ReadIfGiven(result);
        IReadOnlyList<InspectTarget> targets;
        Func<CancellationToken, Task<(ClusterSnapshot Snapshot, Mnp.Policy.Rules.PolicyOptions Options)>> engine;
        FirewallBackendKind? backend = result.GetValue(_backend) switch
        {
            "iptables" => FirewallBackendKind.Iptables,
            "nftables" => FirewallBackendKind.Nftables,
            _ => null,
        };
        if (lab is not null)
        {
            var labTargets = new LabTargets(new LabStore(), new NamedNetns(), lab);
            targets = labTargets.Targets(keys);

            // The lab programs with the backend it recorded; with --no-rules an agent chose, so it is read from the pods.
            backend ??= labTargets.State.NoRules ? null : labTargets.State.Backend;
            engine = async token => (
                files.Length == 0 && kubeconfig is null ? labTargets.Snapshot() : LabCluster.Materialize(await LoadAsync(files, kubeconfig, result, token).ConfigureAwait(false), labTargets.State),
                labTargets.Options(given));
        }
        else
        {
            var hostPrefix = result.GetValue(_hostPrefix) ?? string.Empty;
            using var cri = CriNetnsResolver.Create(hostPrefix, result.GetValue(_runtime));
            var (found, problems) = await NodeTargets.ListAsync(cri, hostPrefix, keys, cancellationToken).ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"mnp: warning: {problem}").ConfigureAwait(false);
            }

            targets = found;
            engine = async token => (await LoadAsync(files, kubeconfig, result, token).ConfigureAwait(false), given ?? _policy.Read(result));
        }

        IReadOnlyDictionary<string, ExpectedRules>? expected = null;
        if (diff)
        {
            var (snapshot, options) = await engine(cancellationToken).ConfigureAwait(false);
            expected = EngineExpectation.For(snapshot, targets.Select(t => t.Pod), options, backend);
        }

        var inspections = new List<PodInspection>();
        foreach (var target in targets)
        {
            inspections.Add(await inspector.InspectAsync(target, expected?[target.Pod], cancellationToken).ConfigureAwait(false));
        }

        await Console.Out.WriteAsync(result.GetValue(_output) == "json" ? InspectionOutput.Json(inspections) : InspectionOutput.Text(inspections)).ConfigureAwait(false);
        foreach (var failed in inspections.Where(i => i.Failed))
        {
            await Console.Error.WriteLineAsync($"mnp: inspect: pod {failed.Pod}: {string.Join("; ", failed.Errors)}").ConfigureAwait(false);
        }

        return inspections.Any(i => i.Failed) ? 1
            : inspections.Any(i => i.Differences is { IsEmpty: false }) ? DifferenceExitCode
            : 0;
    }

    /// <summary>The objects --diff compares with: -f, else the API (--kubeconfig, else the in-cluster service account).</summary>
    private async Task<ClusterSnapshot> LoadAsync(string[] files, string? kubeconfig, ParseResult result, CancellationToken cancellationToken)
    {
        if (files.Length > 0)
        {
            return ClusterInput.Load(files, Console.Error);
        }

        return await ClusterInput.LoadFromApiAsync(kubeconfig, result.GetValue(_context), Console.Error, cancellationToken).ConfigureAwait(false);
    }
}
