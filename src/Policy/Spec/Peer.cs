namespace Mnp.Policy.Spec;

/// <summary>One valid entry of a rule's <c>from</c>/<c>to</c> list.</summary>
public abstract record Peer;
