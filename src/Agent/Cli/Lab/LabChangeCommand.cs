using System.CommandLine;
using Mnp.Agent.Lab;
using Mnp.Policy.Input;

namespace Mnp.Agent.Cli.Lab;

/// <summary><c>mnp lab up|apply|delete [--lab NAME] -f PATH...</c>: a change of the lab's objects, rules committed on return.</summary>
internal sealed class LabChangeCommand : Command
{
    private readonly Option<string> _lab = LabOptions.Lab();
    private readonly Option<string[]> _files = CommonOptions.Files();
    private readonly PolicyOptionSet _policy = new();
    private readonly Func<LabController, string, IReadOnlyList<ManifestObject>, Task<LabSummary>> _change;

    private LabChangeCommand(string name, string description, Func<LabController, string, IReadOnlyList<ManifestObject>, Task<LabSummary>> change)
        : base(name, description)
    {
        _change = change;
        Options.Add(_lab);
        Options.Add(_files);
        _policy.AddTo(this);
        SetAction((result, _) => LabOptions.RunAsync(
            result,
            _policy.ReadIfGiven(result),
            () => LabOptions.Load(result.GetValue(_files) ?? []),
            async (controller, objects) => LabOptions.Report(await _change(controller, result.GetValue(_lab)!, objects).ConfigureAwait(false))));
    }

    public static LabChangeCommand Up() => new(
        "up",
        "Create the lab from Namespace, Pod, NetworkAttachmentDefinition (and MultiNetworkPolicy) manifests",
        (controller, lab, objects) => controller.UpAsync(lab, objects));

    public static LabChangeCommand Apply() => new(
        "apply",
        "Create or replace objects in the lab, then reconcile every pod's rules",
        (controller, lab, objects) => controller.ApplyAsync(lab, objects));

    public static LabChangeCommand Delete() => new(
        "delete",
        "Remove the named objects from the lab (a Namespace takes its Pods), then reconcile every pod's rules",
        (controller, lab, objects) => controller.DeleteAsync(lab, objects));
}
