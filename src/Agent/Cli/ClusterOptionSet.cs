using System.CommandLine;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Cli;

/// <summary>
/// Where the pure verbs (render, trace, matrix) read the cluster: <c>-f</c> files, or, without <c>-f</c>, a live cluster
/// through the kubeconfig as kubectl does (<c>--kubeconfig</c>, <c>KUBECONFIG</c>, <c>~/.kube/config</c>; <c>--context</c>),
/// which makes them work as the <c>kubectl mnp</c> / <c>oc mnp</c> plugin. <c>-n NS</c> narrows what is shown to one
/// namespace (default with the API: the context's namespace, else <c>default</c>; with files: every namespace) and
/// <c>-A</c> shows every namespace; the whole cluster is always read, since peers live in other namespaces.
/// </summary>
internal sealed class ClusterOptionSet
{
    private readonly Option<string[]> _files = CommonOptions.Files();
    private readonly Option<string?> _kubeconfig = new("--kubeconfig") { Description = "Read the cluster through this kubeconfig (without -f: KUBECONFIG, else ~/.kube/config)" };
    private readonly Option<string?> _context = new("--context") { Description = "The kubeconfig context to use" };
    private readonly Option<string?> _namespace = new("--namespace", "-n") { Description = "Only this namespace (with the API, default: the context's)" };
    private readonly Option<bool> _allNamespaces = new("--all-namespaces", "-A") { Description = "Every namespace" };

    public ClusterOptionSet()
    {
        _files.Required = false;
        _files.Description = "Manifest files or folders (YAML or JSON; multi-document, kind: List); without -f, the cluster of the kubeconfig";
    }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _files, _kubeconfig, _context, _namespace, _allNamespaces })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The -f paths (empty when the cluster comes from the API).</summary>
    public string[] Files(ParseResult result) => result.GetValue(_files) ?? [];

    /// <summary>The cluster, and the namespace to show (null: every namespace).</summary>
    public async Task<(ClusterSnapshot Snapshot, string? Namespace)> LoadAsync(ParseResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var files = Files(result);
        var kubeconfig = result.GetValue(_kubeconfig);
        var context = result.GetValue(_context);
        var ns = result.GetValue(_namespace);
        if (result.GetValue(_allNamespaces) && ns is not null)
        {
            throw new CliException("-n and -A exclude each other", 2);
        }

        if (files.Length > 0)
        {
            if (kubeconfig is not null || context is not null)
            {
                throw new CliException($"{(kubeconfig is not null ? "--kubeconfig" : "--context")} reads a live cluster; -f reads files: give one of them", 2);
            }

            return (ClusterInput.Load(files, Console.Error), ns);
        }

        var configuration = KubeconfigChoice.Load(kubeconfig, context);
        var snapshot = await ClusterInput.LoadFromApiAsync(configuration, Console.Error, cancellationToken).ConfigureAwait(false);
        return (snapshot, result.GetValue(_allNamespaces) ? null : ns ?? (configuration.Namespace is { Length: > 0 } current ? current : "default"));
    }
}
