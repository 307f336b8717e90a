using System.CommandLine;
using Mnp.Agent.Cri;
using Mnp.Agent.Lab;
using Mnp.Agent.Operations;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Native.Nftables;

namespace Mnp.Agent.Cli;

/// <summary>
/// <c>mnp cleanup [--lab NAME] [--force]</c>: removes every chain, table and jump of ours from every local pod's network
/// namespace (a lab's pods, else every pod with a ready CRI sandbox except hostNetwork ones) and nothing else. Refuses
/// while an agent runs on the node (it holds its lock, <see cref="AgentPresence"/>), since the agent would put the rules
/// back, unless <c>--force</c>. Exit 0 when every namespace is clean, 1 when one could not be cleaned.
/// </summary>
internal sealed class CleanupCommand : Command
{
    private readonly Option<string?> _lab = new("--lab") { Description = "Clean a lab's pods instead of this node's (CRI)" };
    private readonly Option<bool> _force = new("--force") { Description = "Clean even while an agent runs on the node" };
    private readonly Option<string> _hostPrefix = NodeOptions.HostPrefix();
    private readonly Option<string?> _runtime = NodeOptions.RuntimeEndpoint();

    public CleanupCommand()
        : base("cleanup", "Remove every chain, table and jump of mnp from every local pod's network namespace (uninstall)")
    {
        foreach (var option in new Option[] { _lab, _force, _hostPrefix, _runtime })
        {
            Options.Add(option);
        }

        SetAction((result, cancellationToken) =>
            CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), cancellationToken, CliRunner.OnSignal.WaitForCleanUp, token => RunAsync(result, token)));
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var lab = result.GetValue(_lab);
        var hostPrefix = result.GetValue(_hostPrefix) ?? string.Empty;
        if (lab is not null)
        {
            LabPlanner.ValidateLabName(lab);
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new CliException("cleanup: needs root (enters pod network namespaces and removes netfilter rules)");
        }

        var presence = AgentPresence.PathFor(lab, hostPrefix);
        if (AgentPresence.IsHeld(presence))
        {
            if (!result.GetValue(_force))
            {
                throw new CliException($"cleanup: an mnp agent runs on this {(lab is null ? "node" : $"lab ({lab})")} (it holds {presence}) and would program the rules again; stop it first, or pass --force");
            }

            await Console.Error.WriteLineAsync($"mnp: warning: an mnp agent runs here (it holds {presence}); cleaning anyway (--force): it will program its pods again").ConfigureAwait(false);
        }

        IReadOnlyList<InspectTarget> targets;
        if (lab is not null)
        {
            targets = new LabTargets(new LabStore(), new NamedNetns(), lab).Targets([]);
        }
        else
        {
            using var cri = CriNetnsResolver.Create(hostPrefix, result.GetValue(_runtime));
            var (found, problems) = await NodeTargets.ListAsync(cri, hostPrefix, [], cancellationToken).ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"mnp: warning: not cleaned: {problem}").ConfigureAwait(false);
            }

            targets = found;
        }

        using var executor = new NetnsExecutor();
        var cleaner = new RuleCleaner(new IptablesBackend(executor), new NftablesBackend(executor));
        var failed = 0;
        foreach (var target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cleaned = await cleaner.CleanAsync(target, cancellationToken).ConfigureAwait(false);
            failed += cleaned.Errors.IsEmpty ? 0 : 1;
            await Console.Out.WriteLineAsync(cleaned.ToString()).ConfigureAwait(false);
        }

        await Console.Out.WriteLineAsync($"{targets.Count} pod namespace(s) visited, {targets.Count - failed} clean").ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }
}
