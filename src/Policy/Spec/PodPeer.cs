namespace Mnp.Policy.Spec;

/// <summary>
/// Pods matching <see cref="PodSelector"/> in namespaces matching <see cref="NamespaceSelector"/>;
/// a null namespace selector means the policy's own namespace.
/// </summary>
public sealed record PodPeer(LabelSelector? NamespaceSelector, LabelSelector PodSelector) : Peer;
