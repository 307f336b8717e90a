using System.Net;

namespace Mnp.Agent.Coexistence;

/// <summary>What the start-up check needs of the agent's options (the host maps them, so this folder never names the host).</summary>
/// <param name="ApiSource">True when the cluster comes from the Kubernetes API (files and labs have no OpenShift operator).</param>
/// <param name="Ignore">The operator's <c>--ignore-openshift-mnp-agent</c>.</param>
/// <param name="Kubeconfig">The agent's <c>--kubeconfig</c>; null: in-cluster.</param>
/// <param name="Master">The agent's <c>--master</c>; null: the kubeconfig's.</param>
/// <param name="Listen">Where /healthz and /readyz are served while the agent holds.</param>
/// <param name="NodeName">This node, for the Event's name.</param>
public sealed record CoexistenceCheck(bool ApiSource, bool Ignore, string? Kubeconfig, string? Master, IPEndPoint Listen, string NodeName);
