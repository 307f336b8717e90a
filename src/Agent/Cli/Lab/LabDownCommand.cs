using System.CommandLine;

namespace Mnp.Agent.Cli.Lab;

/// <summary><c>mnp lab down</c>: removes every namespace, interface and file of the lab; a second call is a no-op.</summary>
internal sealed class LabDownCommand : Command
{
    private readonly Option<string> _lab = LabOptions.Lab();

    public LabDownCommand()
        : base("down", "Remove the lab (idempotent)")
    {
        Options.Add(_lab);
        // Down is the clean-up itself: it runs to the end (a signal does not interrupt a removal half way).
        SetAction((result, cancellationToken) => LabOptions.RunAsync(result, null, () => result.GetValue(_lab)!, async (controller, lab, _) =>
        {
            var removed = await controller.DownAsync(lab).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(removed ? $"lab {lab}: removed" : $"lab {lab}: nothing to remove").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
    }
}
