using k8s;
using k8s.Exceptions;

namespace Mnp.Agent.Cli;

/// <summary>
/// Which cluster a verb reads, as kubectl chooses: <c>--kubeconfig</c>, else the first file of <c>KUBECONFIG</c>, else
/// <c>~/.kube/config</c>, else the in-cluster service account; <c>--context</c> picks a context other than the current one.
/// </summary>
internal static class KubeconfigChoice
{
    public static KubernetesClientConfiguration Load(string? kubeconfig, string? context)
    {
        var file = kubeconfig ?? DefaultFile();
        try
        {
            if (file is not null)
            {
                if (!File.Exists(file))
                {
                    throw new CliException($"kubeconfig {file}: no such file");
                }

                return KubernetesClientConfiguration.BuildConfigFromConfigFile(file, currentContext: context);
            }

            if (KubernetesClientConfiguration.IsInCluster() && context is null)
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
        }
        catch (KubeConfigException e)
        {
            throw new CliException($"kubeconfig {file ?? "(in-cluster)"}: {e.Message.ReplaceLineEndings(" ")}");
        }

        throw new CliException("no cluster to read: give -f/--filename PATH, or --kubeconfig FILE (or set KUBECONFIG)", 2);
    }

    private static string? DefaultFile()
    {
        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable)
        {
            return variable.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists) ?? variable.Split(':')[0];
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var path = Path.Combine(home, ".kube", "config");
        return home.Length > 0 && File.Exists(path) ? path : null;
    }
}
