using System.CommandLine;
using Mnp.Agent.Lab;
using Mnp.Native.Backends;
using Mnp.Policy.Input;

namespace Mnp.Agent.Cli.Lab;

/// <summary><c>mnp lab up|apply|delete [--lab NAME] -f PATH...</c>: a change of the lab's objects, rules committed on return.</summary>
internal sealed class LabChangeCommand : Command
{
    private readonly Option<string> _lab = LabOptions.Lab();
    private readonly Option<string[]> _files = CommonOptions.Files();
    private readonly PolicyOptionSet _policy = new();
    private readonly Option<string> _backend = CommonOptions.Backend();
    private readonly Option<bool> _noRules = new("--no-rules") { Description = "The lab's rules belong to an agent (mnp agent --lab NAME): up, apply and delete never program rules" };

    private LabChangeCommand(
        string name, string description, bool isUp, Func<LabController, string, (bool NoRules, FirewallBackendKind Backend), IReadOnlyList<ManifestObject>, CancellationToken, Task<LabSummary>> change)
        : base(name, description)
    {
        Options.Add(_lab);
        Options.Add(_files);
        if (isUp)
        {
            // Chosen once, at up: the lab records them, apply and delete follow the record.
            Options.Add(_noRules);
            Options.Add(_backend);
        }

        _policy.AddTo(this);
        SetAction((result, cancellationToken) => LabOptions.RunAsync(
            result,
            _policy.ReadIfGiven(result),
            () => LabOptions.Load(result.GetValue(_files) ?? []),
            async (controller, objects, token) => LabOptions.Report(
                await change(controller, result.GetValue(_lab)!, isUp ? Choices(result) : default, objects, token).ConfigureAwait(false)),
            cancellationToken));
    }

    public static LabChangeCommand Up() => new(
        "up",
        "Create the lab from Namespace, Pod, NetworkAttachmentDefinition (and MultiNetworkPolicy) manifests",
        isUp: true,
        (controller, lab, up, objects, token) => controller.UpAsync(lab, objects, up.NoRules, up.Backend, token));

    public static LabChangeCommand Apply() => new(
        "apply",
        "Create or replace objects in the lab, then reconcile every pod's rules",
        isUp: false,
        (controller, lab, _, objects, token) => controller.ApplyAsync(lab, objects, token));

    public static LabChangeCommand Delete() => new(
        "delete",
        "Remove the named objects from the lab (a Namespace takes its Pods), then reconcile every pod's rules",
        isUp: false,
        (controller, lab, _, objects, token) => controller.DeleteAsync(lab, objects, token));

    /// <summary>What only <c>up</c> decides for a lab.</summary>
    private (bool NoRules, FirewallBackendKind Backend) Choices(ParseResult result) => (
        result.GetValue(_noRules), result.GetValue(_backend) == "nftables" ? FirewallBackendKind.Nftables : FirewallBackendKind.Iptables);
}
