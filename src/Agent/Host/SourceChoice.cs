namespace Mnp.Agent.Host;

/// <summary>Where the cluster comes from.</summary>
public enum SourceChoice
{
    /// <summary>The API through <c>--kubeconfig</c>.</summary>
    Kubeconfig,

    /// <summary>The API through the pod's service account (neither <c>--kubeconfig</c> nor <c>--manifests</c>, no <c>--lab</c>).</summary>
    InCluster,

    /// <summary><c>--manifests DIR</c>, or the lab's manifests folder with <c>--lab</c> alone.</summary>
    Files,
}
